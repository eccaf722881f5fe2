package org.haven.web;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.haven.HavenHeaders;

/**
 * Default {@link Resubmitter}: sends the file id to a pipeline endpoint with the profile and project set and
 * {@value Resubmitter#REVIEW_RELEASE}=true. The default endpoint ({@code haven.web.resubmit-uri}) is
 * {@code jms:queue:haven.deidentify}: the registry is skipped (the reviewer's decision stands in for it) and the file is
 * de-identified, verified and released by the same stages as any other file. Point it at {@code jms:queue:haven.classify}
 * once the classifier honours the header.
 */
public final class JmsResubmitter implements Resubmitter {
    private final ProducerTemplate producer;
    private final String uri;

    public JmsResubmitter(CamelContext camel, String uri) {
        this.producer = camel.createProducerTemplate();
        this.uri = uri;
    }

    @Override
    public void resubmit(Request r) {
        Map<String, Object> h = new HashMap<>();
        h.put(HavenHeaders.FILE_ID, r.fileId());
        h.put(HavenHeaders.BOARD, r.board());
        h.put(HavenHeaders.PROFILE, r.profile());
        h.put(HavenHeaders.PROJECT, r.project());
        if (r.modality() != null) h.put(HavenHeaders.MODALITY, r.modality());
        if (r.manufacturer() != null) h.put(HavenHeaders.MANUFACTURER, r.manufacturer());
        if (r.model() != null) h.put(HavenHeaders.MODEL, r.model());
        if (r.deviceId() != null) h.put(HavenHeaders.DEVICE_ID, r.deviceId());
        if (r.reviewRelease()) {
            h.put(HavenHeaders.DEVICE_STATE, "trusted");
            h.put(REVIEW_RELEASE, "true");
        }
        if (r.fileBoxes() != null && !r.fileBoxes().isBlank()) h.put(HavenHeaders.FILE_BOXES, r.fileBoxes());
        h.put("HavenReviewer", r.actor());
        producer.send(uri, ExchangePattern.InOnly, e -> {
            e.getIn().setHeaders(h);
            e.getIn().setBody(r.fileId());
        });
    }
}

package org.haven.network;

import java.io.IOException;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.haven.HavenHeaders;
import org.haven.app.Settings;
import org.haven.store.Workspace;

/** Starts the DICOM receiver from Haven's settings, handing received objects to the {@code ingest-dicom} route. */
public final class Receivers {
    private Receivers() {}

    public static DicomReceiver start(Settings settings, Boards boards, Workspace workspace, CamelContext camel) throws IOException {
        ProducerTemplate template = camel.createProducerTemplate();
        DicomReceiver.ObjectSink sink = (file, board, callingAe) -> {
            Exchange done = template.request("direct:ingest-dicom", e -> {
                e.getIn().setBody(file.toFile());
                e.getIn().setHeader(HavenHeaders.BOARD, board);
                e.getIn().setHeader(HavenHeaders.CALLING_AE, callingAe);
            });
            if (done.getException() != null) throw done.getException();
        };
        DicomReceiver.Limits limits = new DicomReceiver.Limits(settings.getInt("haven.dicom.max-associations"),
            settings.getInt("haven.dicom.max-object-mb") * 1024L * 1024L, settings.getInt("haven.dicom.idle-timeout-s") * 1000);
        return DicomReceiver.start(settings.get("haven.dicom.bind"), settings.getInt("haven.dicom.port"), settings.get("haven.dicom.ae-title"),
            boards, limits, workspace.staging().resolve("network"), sink);
    }
}

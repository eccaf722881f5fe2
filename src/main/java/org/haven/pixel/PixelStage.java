package org.haven.pixel;

import java.sql.SQLException;

import com.pixelmed.dicom.AttributeList;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haven.HavenHeaders;
import org.haven.dicom.DicomHeader;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;

/**
 * The pixel stage's two steps in the routes. {@link #decide} runs in classify, on the header only: an image that
 * may carry burned-in text and has no pixel rule is held ({@code pixels-unverified}) before anything else happens.
 * {@link #redact} runs in de-identify, on the data set read once with its pixel data, and blanks the rule's boxes.
 */
public final class PixelStage {
    private final PixelPolicy policy;
    private final PixelRedactor redactor = new PixelRedactor();
    private final FileRecords records;
    private final String node;

    public PixelStage(PixelPolicy policy, FileRecords records, String node) {
        this.policy = policy;
        this.records = records;
        this.node = node;
    }

    public void decide(Exchange exchange) throws QuarantineException {
        Message in = exchange.getIn();
        DicomHeader header = exchange.getProperty(HavenHeaders.DATASET, DicomHeader.class);
        String deviceRule = in.getHeader(HavenHeaders.PIXEL_RULE, "", String.class); // the registry's `pixels:` for the device
        PixelDecision d = deviceRule.isBlank() ? policy.decide(header.attributes()) : policy.decideWith(header.attributes(), deviceRule);
        if (d.quarantine()) throw new QuarantineException(d.quarantineReason(), d.risk().reason() + "; no pixel rule matches this device");
        in.setHeader(HavenHeaders.PIXEL_ACTION, d.action().name());
        in.setHeader(HavenHeaders.PIXEL_RULE, d.rule().map(PixelRule::id).orElse(""));
        in.setHeader(HavenHeaders.OCR, d.ocrRequired());
    }

    /** Blanks in place when classify decided REDACT; the data set was read whole by the de-identify stage. */
    public void redact(Exchange exchange) throws QuarantineException, SQLException {
        Message in = exchange.getIn();
        if (!"REDACT".equals(in.getHeader(HavenHeaders.PIXEL_ACTION, String.class))) return;
        DicomHeader dataset = exchange.getProperty(HavenHeaders.DATASET, DicomHeader.class);
        AttributeList full = dataset.attributes();
        String ruleId = in.getHeader(HavenHeaders.PIXEL_RULE, String.class);
        PixelRule rule = policy.rules().byId(ruleId)
            .orElseThrow(() -> new QuarantineException("pixels-unverified", "pixel rule " + ruleId + " is no longer configured"));
        RedactionResult result;
        try {
            result = redactor.redact(full, rule);
        } catch (UnsupportedPixelsException e) {
            throw new QuarantineException(e.reason(), "rule " + rule.id() + ": " + e.getMessage());
        }
        in.setHeader(HavenHeaders.TRANSFER_SYNTAX_OUT, result.transferSyntaxOut());
        org.haven.deidentify.Deidentifier.addMethodCode(full, "113101"); // Clean Pixel Data
        records.event(in.getHeader(HavenHeaders.FILE_ID, String.class), "pixels-blanked", null,
            "rule " + rule.id() + " (" + rule.where() + "), " + result.method() + ", " + result.boxes().size() + " box(es)", node);
    }
}

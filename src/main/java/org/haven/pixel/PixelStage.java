package org.haven.pixel;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PixelPolicy policy;
    private final PixelRedactor redactor = new PixelRedactor();
    private final FileRecords records;
    private final String node;
    private final Predicate<String> keepsOverlayData;

    public PixelStage(PixelPolicy policy, FileRecords records, String node) { this(policy, records, node, profile -> true); }

    /**
     * @param keepsOverlayData whether the named profile releases OverlayData (60xx,3000): only then does overlay
     *                         content make an image at risk (basic and research remove it; Clean Graphics keeps it)
     */
    public PixelStage(PixelPolicy policy, FileRecords records, String node, Predicate<String> keepsOverlayData) {
        this.policy = policy;
        this.records = records;
        this.node = node;
        this.keepsOverlayData = keepsOverlayData;
    }

    public void decide(Exchange exchange) throws QuarantineException {
        Message in = exchange.getIn();
        DicomHeader header = exchange.getProperty(HavenHeaders.DATASET, DicomHeader.class);
        String deviceRule = in.getHeader(HavenHeaders.PIXEL_RULE, "", String.class); // the registry's `pixels:` for the device
        if (!hasPixels(header)) {
            // a document, report or protocol without an image (e.g. a Siemens Phoenix protocol stored as SR): no
            // pixels, no burned-in text; its text is the profile's and the gate's business
            in.setHeader(HavenHeaders.PIXEL_ACTION, PixelDecision.Action.PASS.name());
            in.setHeader(HavenHeaders.PIXEL_RULE, "");
            in.setHeader(HavenHeaders.OCR, false);
            return;
        }
        boolean overlays = keepsOverlayData.test(in.getHeader(HavenHeaders.PROFILE, "", String.class));
        PixelDecision d = deviceRule.isBlank() ? policy.decide(header.attributes(), overlays) : policy.decideWith(header.attributes(), deviceRule, overlays);
        if (!fileBoxes(in).isEmpty()) {
            // a reviewer drew boxes for this file: blank them (on top of the device's rule, if any), then OCR checks the result
            in.setHeader(HavenHeaders.PIXEL_ACTION, PixelDecision.Action.REDACT.name());
            in.setHeader(HavenHeaders.PIXEL_RULE, d.quarantine() ? "" : d.rule().map(PixelRule::id).orElse(""));
            in.setHeader(HavenHeaders.OCR, true);
            return;
        }
        if (d.quarantine()) throw new QuarantineException(d.quarantineReason(), d.risk().reason() + "; no pixel rule matches this device");
        in.setHeader(HavenHeaders.PIXEL_ACTION, d.action().name());
        in.setHeader(HavenHeaders.PIXEL_RULE, d.rule().map(PixelRule::id).orElse(""));
        in.setHeader(HavenHeaders.OCR, d.ocrRequired());
    }

    private static boolean hasPixels(DicomHeader header) {
        com.pixelmed.dicom.AttributeList l = header.attributes();
        return header.layout().hasPixelData()
            || l.get(new com.pixelmed.dicom.AttributeTag(0x7FE0, 0x0008)) != null     // FloatPixelData
            || l.get(new com.pixelmed.dicom.AttributeTag(0x7FE0, 0x0009)) != null;    // DoubleFloatPixelData
    }

    /** Blanks in place when classify decided REDACT; the data set was read whole by the de-identify stage. */
    public void redact(Exchange exchange) throws QuarantineException, SQLException {
        Message in = exchange.getIn();
        if (!"REDACT".equals(in.getHeader(HavenHeaders.PIXEL_ACTION, String.class))) return;
        DicomHeader dataset = exchange.getProperty(HavenHeaders.DATASET, DicomHeader.class);
        AttributeList full = dataset.attributes();
        String ruleId = in.getHeader(HavenHeaders.PIXEL_RULE, "", String.class);
        List<Box> perFile = fileBoxes(in);
        PixelRule rule = ruleId.isBlank() && !perFile.isEmpty() ? null : policy.rules().byId(ruleId)
            .orElseThrow(() -> new QuarantineException("pixels-unverified", "pixel rule " + ruleId + " is no longer configured"));
        if (!perFile.isEmpty()) rule = withFileBoxes(rule, perFile);
        RedactionResult result;
        try {
            result = redactor.redact(full, rule);
        } catch (UnsupportedPixelsException e) {
            throw new QuarantineException(e.reason(), "rule " + rule.id() + ": " + e.getMessage());
        }
        in.setHeader(HavenHeaders.TRANSFER_SYNTAX_OUT, result.transferSyntaxOut());
        org.haven.deidentify.Deidentifier.addMethodCode(full, "113101"); // Clean Pixel Data
        FileRecords.eventLater(exchange, in.getHeader(HavenHeaders.FILE_ID, String.class), "pixels-blanked", null,
            "rule " + rule.id() + " (" + rule.where() + "), " + result.method() + ", " + result.boxes().size() + " box(es)"
                + (result.overlayBitsCleared() > 0 ? ", " + result.overlayBitsCleared() + " overlay bit(s) cleared" : ""), node);
    }

    /** The reviewer's boxes for this file ({@link HavenHeaders#FILE_BOXES}); a malformed header holds the file. */
    static List<Box> fileBoxes(Message in) throws QuarantineException {
        String json = in.getHeader(HavenHeaders.FILE_BOXES, "", String.class);
        if (json.isBlank()) return List.of();
        List<Box> boxes = new ArrayList<>();
        try {
            for (JsonNode n : JSON.readTree(json)) {
                int x = n.path("x").asInt(-1), y = n.path("y").asInt(-1), w = n.path("width").asInt(0), h = n.path("height").asInt(0);
                if (x < 0 || y < 0 || w <= 0 || h <= 0) throw new QuarantineException("pixels-unverified", "a reviewer's box is malformed");
                boxes.add(new Box(x, y, w, h));
            }
        } catch (java.io.IOException e) {
            throw new QuarantineException("pixels-unverified", "the reviewer's boxes for this file are not readable");
        }
        return boxes;
    }

    /** The device's rule (or none) plus this file's boxes on every frame. */
    static PixelRule withFileBoxes(PixelRule base, List<Box> boxes) {
        List<PixelRule.Region> blank = new ArrayList<>(base == null ? List.of() : base.blank());
        for (Box b : boxes) blank.add(new PixelRule.Region(b, Set.of()));
        if (base == null) return new PixelRule("file-boxes", Path.of("review"), 0, List.of(), blank, false, List.of(), false, true);
        return new PixelRule(base.id() + "+file-boxes", base.file(), base.line(), base.conditions(), blank, base.keepUltrasoundRegions(),
            base.allowText(), base.allowTextInUltrasoundRegions(), true);
    }
}

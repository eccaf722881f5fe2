package org.haven.pixel;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haven.HavenHeaders;
import org.haven.dicom.DicomHeader;
import org.haven.dicom.DicomReader;
import org.haven.dicom.UnreadableDicomException;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.store.StageGuard;
import org.haven.store.Workspace;
import org.haven.text.KnownIdentifiers;
import org.haven.verify.OcrText;
import org.haven.verify.VerificationReport;
import org.haven.verify.Verifier;

/**
 * OCR stage (its own queue, scaled on its own): reads the de-identified pixels of an at-risk image. Words outside
 * the pixel rule's allowed regions hold the file ({@code pixel-text}, words and boxes in the finding); words inside
 * them still go through the verification detectors (names, CHI numbers, dates...).
 */
public final class OcrStage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Workspace workspace;
    private final FileRecords records;
    private final PixelPolicy policy;
    private final OcrChecker ocr;
    private final Supplier<Verifier> verifier;
    private final String node;

    public OcrStage(Workspace workspace, FileRecords records, PixelPolicy policy, OcrChecker ocr, Verifier verifier, String node) {
        this(workspace, records, policy, ocr, () -> verifier, node);
    }

    /** With verification rules that may be reloaded while running. */
    public OcrStage(Workspace workspace, FileRecords records, PixelPolicy policy, OcrChecker ocr, Supplier<Verifier> verifier, String node) {
        this.workspace = workspace;
        this.records = records;
        this.policy = policy;
        this.ocr = ocr;
        this.verifier = verifier;
        this.node = node;
    }

    public void check(Exchange exchange) throws QuarantineException, SQLException, java.io.IOException {
        if (new StageGuard(workspace, records, node).stopIfDecided(exchange)) return; // duplicate or redelivered message
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        String ruleId = in.getHeader(HavenHeaders.PIXEL_RULE, "", String.class);
        AttributeList output = read(workspace.outgoing(fileId)).attributes();
        List<OcrHit> hits;
        try {
            hits = ocr.read(output, policy.rules().ocr().maxFrames());
        } catch (UnsupportedPixelsException e) {
            throw new QuarantineException(e.reason(), "OCR cannot read the pixels: " + e.getMessage());
        }
        PixelRule rule = ruleId.isEmpty() ? null : policy.rules().byId(ruleId).orElse(null);
        OcrVerdict verdict = policy.verify(output, rule, hits);
        Verifier gate = verifier.get();
        if (!verdict.pass()) {
            // words a reviewer allowlisted for OCR text (config/verify) do not hold the file; the detectors still read them below
            List<OcrHit> offending = verdict.offending().stream().filter(h -> !gate.allowsOcrWord(h.text())).toList();
            verdict = offending.isEmpty() ? OcrVerdict.passed() : OcrVerdict.quarantine(offending);
        }
        if (!verdict.pass()) {
            in.setHeader(HavenHeaders.FINDINGS, findingsJson(verdict.offending()));
            throw new QuarantineException(OcrVerdict.PIXEL_TEXT, verdict.offending().size() + " word(s) outside the allowed regions of rule "
                + (rule == null ? "(none)" : rule.id()));
        }
        List<OcrText> texts = new ArrayList<>();
        for (OcrHit h : hits) texts.add(new OcrText(h.frame(), h.text(), h.box().x(), h.box().y(), h.box().width(), h.box().height()));
        KnownIdentifiers source = KnownIdentifiers.from(read(workspace.staged(fileId)).attributes());
        VerificationReport report = gate.scan(new AttributeList(), source, texts);
        if (!report.passed()) {
            in.setHeader(HavenHeaders.FINDINGS, report.toJson());
            throw new QuarantineException("verification:" + report.primaryClassification(), "OCR text: " + report.countsByClassification());
        }
        records.event(fileId, "ocr-checked", null, hits.size() + " word(s) read, all inside allowed regions", node);
    }

    private static DicomHeader read(java.nio.file.Path file) throws QuarantineException {
        try {
            return DicomReader.readAll(file);
        } catch (UnreadableDicomException e) {
            throw new QuarantineException("unreadable", e.getMessage());
        }
    }

    static String findingsJson(List<OcrHit> offending) throws JsonProcessingException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (OcrHit h : offending) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("classification", OcrVerdict.PIXEL_TEXT);
            m.put("ruleId", "ocr");
            m.put("attributePath", "OCR[frame=" + h.frame() + (h.overlay() == 0 ? "" : ",overlay=" + h.overlayName()) + "]");
            m.put("matchedText", h.text());
            m.put("confidence", h.confidence());
            m.put("box", Map.of("x", h.box().x(), "y", h.box().y(), "width", h.box().width(), "height", h.box().height()));
            out.add(m);
        }
        return JSON.writeValueAsString(Map.of("passed", false, "findings", out));
    }
}

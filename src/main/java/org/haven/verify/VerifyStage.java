package org.haven.verify;

import org.haven.text.KnownIdentifiers;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

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

/**
 * The verification gate: no file is released until a residual-identifier scan of its de-identified header passes.
 * The scan cross-matches the source file's own identifiers and runs the detectors of {@code config/verify/}; any
 * finding quarantines the file as {@code verification:<classification>} with the JSON report in its sidecar.
 */
public final class VerifyStage {
    private final Workspace workspace;
    private final FileRecords records;
    private final Supplier<Verifier> verifier;
    private final String node;

    public VerifyStage(Workspace workspace, FileRecords records, Verifier verifier, String node) {
        this(workspace, records, () -> verifier, node);
    }

    /** With rules that may be reloaded while running: each file is scanned by the version in force. */
    public VerifyStage(Workspace workspace, FileRecords records, Supplier<Verifier> verifier, String node) {
        this.workspace = workspace;
        this.records = records;
        this.verifier = verifier;
        this.node = node;
    }

    public void verify(Exchange exchange) throws QuarantineException, SQLException, java.io.IOException {
        if (new StageGuard(workspace, records, node).stopIfDecided(exchange)) return; // duplicate or redelivered message
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        // gathered by the de-identifier when it ran on this exchange (in-process); otherwise parsed from the original
        KnownIdentifiers source = exchange.getProperty(HavenHeaders.SOURCE_IDENTIFIERS, KnownIdentifiers.class);
        if (source == null) source = KnownIdentifiers.from(header(workspace.staged(fileId), "source").attributes());
        DicomHeader output = header(workspace.outgoing(fileId), "de-identified output");
        String pseudonym = in.getHeader(HavenHeaders.PSEUDONYM, "", String.class);
        VerificationReport report = verifier.get().scan(output.attributes(), source, List.of(),
            pseudonym.isEmpty() ? Set.of() : Set.of(pseudonym));
        if (!report.passed()) {
            in.setHeader(HavenHeaders.FINDINGS, report.toJson());
            throw new QuarantineException("verification:" + report.primaryClassification(),
                report.findings().size() + " finding(s): " + report.countsByClassification());
        }
        FileRecords.eventLater(exchange, fileId, "verified", null, "no residual identifiers", node);
    }

    private static DicomHeader header(Path file, String what) throws QuarantineException {
        try {
            DicomHeader header = DicomReader.readHeader(file);
            // elements after PixelData (private groups above 7FE0) must be scanned too
            return header.layout().hasElementsAfterPixelData() ? DicomReader.readAll(file) : header;
        } catch (UnreadableDicomException e) {
            throw new QuarantineException("unreadable", what + ": " + e.getMessage());
        }
    }
}

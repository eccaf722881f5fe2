package org.haven.resolve;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.Optional;

import com.pixelmed.dicom.TagFromName;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haven.HavenHeaders;
import org.haven.dicom.DicomHeader;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.store.PseudonymProposal;
import org.haven.store.Workspace;

/**
 * The resolve step, first in the de-identify route (on the data set that stage parses anyway): finds the person's
 * CHI ({@link Resolver}), and gives the file the project pseudonym of that person, a keyed function of
 * (project, CHI). Without a CHI the project's policy decides: hold as {@code unresolved-patient}, or pseudonymise
 * by issuer and local id (a mapping row marked unresolved; the original is kept in {@code retained/} so the file can
 * be re-issued under the person's pseudonym once the index resolves it). When a local id already released under an
 * unresolved pseudonym now resolves, the merge is recorded ({@code ./run.sh patients relink-report}).
 *
 * <p>The pseudonym goes to the exchange property {@link #PSEUDONYM} (never a JMS header) for the de-identifier.
 */
public final class ResolveStage {
    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("\\d{8}");
    /** Exchange property: the file's project pseudonym, set here, used by the de-identifier. */
    public static final String PSEUDONYM = "HavenResolvedPseudonym";

    private final Resolver resolver;
    private final IdentityStore identities;
    private final Workspace workspace;
    private final byte[] key;
    private final String node;

    public ResolveStage(Resolver resolver, IdentityStore identities, Workspace workspace, byte[] key, String node) {
        this.resolver = resolver;
        this.identities = identities;
        this.workspace = workspace;
        this.key = key.clone();
        this.node = node;
    }

    /** Where originals of files released under an unresolved pseudonym are kept for re-issue. */
    public static Path retained(Workspace workspace, String fileId) {
        return workspace.staging().resolveSibling("retained").resolve(fileId.substring(0, 2)).resolve(fileId + ".dcm");
    }

    public void resolve(Exchange exchange) throws QuarantineException, SQLException, IOException {
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        String project = in.getHeader(HavenHeaders.PROJECT, String.class);
        String board = in.getHeader(HavenHeaders.BOARD, "", String.class);
        DicomHeader header = exchange.getProperty(HavenHeaders.DATASET, DicomHeader.class);
        Resolver.PatientIds ids = Resolver.PatientIds.of(header.attributes());
        if (ids.primary().value().length() + ids.primary().issuer().length() > 400) {
            // LO allows 64 characters; a longer value is bad data, and must never reach a database error message
            throw new QuarantineException("invalid-patient-id", "PatientID or IssuerOfPatientID far longer than LO allows");
        }
        Resolver.Resolution r;
        try {
            r = resolver.resolve(board, ids);
        } catch (Resolver.ConflictException e) {
            throw new QuarantineException("patient-identity-conflict", e.getMessage());
        }
        String studyDate = header.text(TagFromName.StudyDate);
        if (!DATE.matcher(studyDate).matches()) studyDate = null;

        String pseudonym;
        if (r.resolved()) {
            String chi = r.chi().get();
            String patientKey = IdentityStore.chiKey(chi);
            pseudonym = identities.allocate(project, patientKey, PseudonymProposal.propose(key, project, patientKey), chi, IdentityStore.RESOLVED);
            relinkIfReleasedUnresolved(project, r, chi, pseudonym);
        } else {
            if (r.localId().isEmpty()) throw new QuarantineException("missing-patient-id", "no PatientID (0010,0020) and no CHI in other patient IDs: cannot link to other records");
            if (resolver.rules().policy(project) == IdentityRules.Unresolved.HOLD) {
                FileRecords.rowLater(exchange, IdentityStore.fileRecord(fileId, project, null, r, board, studyDate)); // written by the hold
                throw new QuarantineException("unresolved-patient", "no CHI in PatientID, other patient IDs or the patient index;"
                    + " project " + project + " holds unresolved patients (re-processed when the index resolves them)");
            }
            String patientKey = IdentityStore.localKey(r.issuer(), r.localId());
            Optional<String[]> merged = identities.mergedInto(project, patientKey);
            if (merged.isPresent()) {
                // this local id was merged into a person (the index said so once): never issue the withdrawn pseudonym again
                r = new Resolver.Resolution(Optional.of(merged.get()[0]), "relink", r.issuer(), r.localId());
                pseudonym = merged.get()[1];
            } else {
                pseudonym = identities.allocate(project, patientKey, PseudonymProposal.propose(key, project, patientKey), null, IdentityStore.UNRESOLVED);
                retain(fileId);
            }
        }
        FileRecords.rowLater(exchange, IdentityStore.fileRecord(fileId, project, pseudonym, r, board, studyDate)); // with the fate
        exchange.setProperty(PSEUDONYM, pseudonym); // how the person was found is in patient_file (resolved_by), not one more event row
    }

    /** A local id first pseudonymised unresolved that now resolves: record the merge, once. */
    private void relinkIfReleasedUnresolved(String project, Resolver.Resolution r, String chi, String pseudonym) throws SQLException {
        if (r.localId().isEmpty() || "patient-id".equals(r.method())) return;
        String localKey = IdentityStore.localKey(r.issuer(), r.localId());
        Optional<String> status = identities.status(project, localKey);
        if (status.isEmpty() || !IdentityStore.UNRESOLVED.equals(status.get())) return;
        String old = identities.find(project, localKey).orElseThrow();
        identities.recordRelink(new IdentityStore.UnresolvedRow(project, old, r.issuer(), r.localId()), chi, pseudonym, node);
    }

    /** A hard link to the staged original (no copy on the same file system), kept after release for re-issue. */
    private void retain(String fileId) throws IOException {
        Path target = retained(workspace, fileId);
        if (Files.exists(target)) return;
        Workspace.ensureDirectory(target.getParent());
        try {
            Files.createLink(target, workspace.staged(fileId));
        } catch (FileAlreadyExistsException e) {
            // another delivery of the same file got there first
        } catch (UnsupportedOperationException | IOException e) {
            Workspace.writeWhole(target, tmp -> Files.copy(workspace.staged(fileId), tmp, StandardCopyOption.REPLACE_EXISTING));
        }
    }
}

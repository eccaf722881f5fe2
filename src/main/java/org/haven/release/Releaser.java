package org.haven.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haven.HavenHeaders;
import org.haven.ingest.Stager;
import org.haven.quarantine.FileFault;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.store.StageGuard;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last stage: moves a verified de-identified file to {@code release/<project>/<pseudonym>/<study>/<series>/<instance>.dcm}
 * (the path was built by the de-identifier from de-identified values only), records the outcome, then drops the
 * staged original. Idempotent on redelivery. One released file per instance: when two encodings of one instance
 * arrive, {@link EncodingPreference} decides which one is released, in whichever order they come; a preferred one
 * arriving later replaces the earlier release atomically and the earlier one ends as duplicate-instance.
 */
public final class Releaser {
    private static final Logger LOG = LoggerFactory.getLogger(Releaser.class);
    /** Marker (compared by identity) for "the de-identified copy is gone". */
    private static final String OUTPUT_MISSING = new String("output-missing");
    /** Markers: released with its fate in the claim's transaction; moved onto the path of a superseded file. */
    private static final String RELEASED = new String("released"), SUPERSEDED = new String("superseded");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Workspace workspace;
    private final FileRecords records;
    private final String node;

    public Releaser(Workspace workspace, FileRecords records, String node) {
        this.workspace = workspace;
        this.records = records;
        this.node = node;
    }

    public void release(Exchange exchange) throws IOException, SQLException, QuarantineException {
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        if (!Files.exists(workspace.outgoing(fileId)) && new StageGuard(workspace, records, node).stopIfDecided(exchange)) return;
        String relative = in.getHeader(HavenHeaders.RELEASE_PATH, String.class);
        if (relative == null || relative.contains("..")) throw new FileFault("file " + Stager.shortId(fileId) + " has no valid release path");
        // committed before the move: a copy a crash leaves in release/ is found through its claim (Quarantine withdraws it)
        records.claimReleasePath(relative, fileId);
        Path target = workspace.release().resolve(relative);
        Path outgoing = workspace.outgoing(fileId);
        String profile = in.getHeader(HavenHeaders.PROFILE, String.class);
        // the journey's events go with its fate; taken from the exchange once written (a hold writes them otherwise)
        List<FileRecords.PendingEvent> journey = FileRecords.pending(exchange);
        boolean[] moved = {false};
        String keptBy;
        for (int attempt = 0; ; attempt++) {
            try {
                // Under the claim's lock: the holder's file, or a preferred encoding of the same instance, moves onto the
                // release path; two files of one instance never move there at once (EncodingPreference says which wins).
                // The holder's own release records its fate in the same transaction (one commit for lock, move and fate).
                keptBy = records.underClaimLock(relative, fileId, (c, holder) -> {
                    // not a passing fault: retrying cannot bring the copy back, so hold the original (fail closed)
                    if (!Files.exists(outgoing) && !Files.exists(target)) return OUTPUT_MISSING;
                    if (!holder.equals(fileId)) return supersedeOrKeep(c, holder, fileId, relative, outgoing, target);
                    moveOnto(outgoing, target, fileId);
                    moved[0] = true;
                    records.decide(c, fileId, "released", null, profile, relative, node, journey);
                    return RELEASED;
                });
                break;
            } catch (SQLException | RuntimeException e) {
                if (!moved[0]) throw e;
                if (e instanceof SQLException && Store.isDuplicateKey((SQLException) e)) {
                    if (!keepIfReleasedHere(exchange, fileId, relative, target, outgoing)) return;
                    keptBy = RELEASED;
                    break;
                }
                // Nothing may sit in release/ without a released outcome: put it back, the redelivery tries again
                // (or, after max-deliveries, the quarantine takes the original and removes this copy).
                moveBack(target, outgoing, fileId);
                if (attempt > 0 || !(e instanceof SQLException) || !FileRecords.isMissingParent((SQLException) e)) throw e;
                records.reconcile(fileId, node); // the store lost the file's record: re-create it, then release again
                moved[0] = false;
            }
        }
        if (keptBy == OUTPUT_MISSING) {
            throw new QuarantineException("output-missing", "the de-identified copy is neither outgoing nor released");
        }
        if (keptBy != RELEASED && keptBy != SUPERSEDED) {
            throw new QuarantineException("duplicate-instance", "same project, patient and instance UIDs released from file "
                + Stager.shortId(keptBy) + ", whose encoding is preferred (" + EncodingPreference.why(records.transferSyntax(keptBy), records.transferSyntax(fileId)) + ")");
        }
        if (keptBy == SUPERSEDED) {
            boolean recorded;
            try {
                recorded = records.decide(fileId, "released", null, profile, relative, node, journey);
            } catch (SQLException | RuntimeException e) {
                moveBack(target, outgoing, fileId);
                throw e;
            }
            if (!recorded && !keepIfReleasedHere(exchange, fileId, relative, target, outgoing)) return;
        }
        FileRecords.takePending(exchange);
        LOG.info("released file {} with profile {}", Stager.shortId(fileId), profile);
        Files.deleteIfExists(workspace.staged(fileId));
    }

    /**
     * Under the claim's lock held by another file of the same instance: this file's encoding replaces the holder's
     * when it is preferred (returns {@link #SUPERSEDED}, its fate still to record), else the holder's id.
     */
    private String supersedeOrKeep(java.sql.Connection c, String holder, String fileId, String relative, Path outgoing, Path target)
            throws IOException, SQLException {
        String mine = records.transferSyntax(fileId), theirs = records.transferSyntax(holder);
        if (!EncodingPreference.prefers(fileId, mine, holder, theirs)) return holder;
        String detail = "superseded by file " + Stager.shortId(fileId) + ": " + EncodingPreference.why(mine, theirs);
        String loserLocation = null;
        if (records.isReleased(c, holder) && Files.exists(target)) loserLocation = keepSupersededCopy(target, holder, detail);
        moveOnto(outgoing, target, fileId);
        records.supersede(c, relative, holder, fileId, detail, loserLocation, node);
        LOG.info("file {} supersedes file {} on one instance ({})", Stager.shortId(fileId), Stager.shortId(holder), EncodingPreference.why(mine, theirs));
        return SUPERSEDED;
    }

    /**
     * A fate was recorded for this file first. Returns true when it is this release (a redelivery); otherwise takes
     * this copy out of release/, gives up the claim, stops the route and returns false (held by a concurrent delivery:
     * this copy must not stay released).
     */
    private boolean keepIfReleasedHere(Exchange exchange, String fileId, String relative, Path target, Path outgoing)
            throws IOException, SQLException {
        Optional<FileRecords.Outcome> outcome = records.outcome(fileId);
        if (outcome.isPresent() && "released".equals(outcome.get().outcome()) && relative.equals(outcome.get().location())) return true;
        moveBack(target, outgoing, fileId);
        Files.deleteIfExists(outgoing);
        records.releaseClaim(relative, fileId);
        LOG.warn("file {} was not released: its fate was already recorded as {}", Stager.shortId(fileId),
            outcome.map(FileRecords.Outcome::outcome).orElse("(none)"));
        exchange.setRouteStop(true);
        return false;
    }

    private static void moveBack(Path target, Path outgoing, String fileId) throws IOException {
        if (!Files.exists(target)) return;
        try {
            Workspace.moveInto(target, outgoing);
        } catch (IOException e) {
            LOG.error("file {} is in release/ without a released outcome and could not be moved back", Stager.shortId(fileId));
            throw e;
        }
    }

    private static void moveOnto(Path outgoing, Path target, String fileId) throws IOException {
        if (Files.exists(outgoing)) {
            Workspace.moveInto(outgoing, target);   // atomic rename, replacing a superseded encoding
        } else if (!Files.exists(target)) {
            throw new FileFault("file " + Stager.shortId(fileId) + " is neither outgoing nor released");
        }
    }

    /**
     * A released file that a preferred encoding replaces keeps its fate in the quarantine: its original was dropped
     * when it was released, so the quarantine keeps its de-identified copy (and says so in the sidecar).
     */
    private String keepSupersededCopy(Path released, String loser, String detail) throws IOException {
        Path dir = workspace.quarantine().resolve("duplicate-instance");
        Path copy = dir.resolve(loser + ".dcm");
        if (!Files.exists(copy)) {   // a redelivery after a crash must not copy the winner's bytes
            Files.createDirectories(dir);
            Path tmp = Workspace.temporaryFor(copy);
            Files.copy(released, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Workspace.moveInto(tmp, copy);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("fileId", loser);
        doc.put("reason", "duplicate-instance");
        doc.put("detail", detail);
        doc.put("at", Instant.now().toString());
        doc.put("node", node);
        doc.put("copy", "de-identified (the original was dropped when this file was first released)");
        Path sidecar = dir.resolve(loser + ".json");
        Path tmp = Workspace.temporaryFor(sidecar);
        JSON.writeValue(tmp.toFile(), doc);
        Workspace.moveInto(tmp, sidecar);
        return workspace.quarantine().relativize(copy).toString();
    }
}

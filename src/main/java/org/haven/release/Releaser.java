package org.haven.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
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
        records.claimReleasePath(relative, fileId);
        Path target = workspace.release().resolve(relative);
        Path outgoing = workspace.outgoing(fileId);
        // Under the claim's lock: the holder's file, or a preferred encoding of the same instance, moves onto the
        // release path; two files of one instance never move there at once (EncodingPreference says which wins).
        String keptBy = records.underClaimLock(relative, (c, holder) -> {
            // not a passing fault: retrying cannot bring the copy back, so hold the original (fail closed)
            if (!Files.exists(outgoing) && !Files.exists(target)) return OUTPUT_MISSING;
            if (!holder.equals(fileId)) {
                String mine = records.transferSyntax(fileId), theirs = records.transferSyntax(holder);
                if (!EncodingPreference.prefers(fileId, mine, holder, theirs)) return holder;
                String detail = "superseded by file " + Stager.shortId(fileId) + ": " + EncodingPreference.why(mine, theirs);
                String loserLocation = null;
                if (records.isReleased(c, holder) && Files.exists(target)) loserLocation = keepSupersededCopy(target, holder, detail);
                moveOnto(outgoing, target, fileId);
                records.supersede(c, relative, holder, fileId, detail, loserLocation, node);
                LOG.info("file {} supersedes file {} on one instance ({})", Stager.shortId(fileId), Stager.shortId(holder), EncodingPreference.why(mine, theirs));
                return null;
            }
            moveOnto(outgoing, target, fileId);
            return null;
        });
        if (keptBy == OUTPUT_MISSING) {
            throw new QuarantineException("output-missing", "the de-identified copy is neither outgoing nor released");
        }
        if (keptBy != null) {
            throw new QuarantineException("duplicate-instance", "same project, patient and instance UIDs released from file "
                + Stager.shortId(keptBy) + ", whose encoding is preferred (" + EncodingPreference.why(records.transferSyntax(keptBy), records.transferSyntax(fileId)) + ")");
        }
        boolean recorded;
        try {
            recorded = records.decide(fileId, "released", null, in.getHeader(HavenHeaders.PROFILE, String.class), relative, node,
                FileRecords.takePending(exchange)); // the journey's events with its fate: one commit
        } catch (SQLException | RuntimeException e) {
            // Nothing may sit in release/ without a released outcome: put it back, the redelivery tries again
            // (or, after max-deliveries, the quarantine takes the original and removes this copy).
            moveBack(target, outgoing, fileId);
            throw e;
        }
        if (recorded) {
            LOG.info("released file {} with profile {}", Stager.shortId(fileId), in.getHeader(HavenHeaders.PROFILE));
        } else {
            Optional<FileRecords.Outcome> outcome = records.outcome(fileId);
            if (outcome.isEmpty() || !"released".equals(outcome.get().outcome()) || !relative.equals(outcome.get().location())) {
                // another fate was recorded first (held by a concurrent delivery): this copy must not stay released
                moveBack(target, outgoing, fileId);
                Files.deleteIfExists(outgoing);
                records.releaseClaim(relative, fileId);
                LOG.warn("file {} was not released: its fate was already recorded as {}", Stager.shortId(fileId),
                    outcome.map(FileRecords.Outcome::outcome).orElse("(none)"));
                exchange.setRouteStop(true);
                return;
            }
        }
        Files.deleteIfExists(workspace.staged(fileId));
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

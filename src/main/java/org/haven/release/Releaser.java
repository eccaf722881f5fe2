package org.haven.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

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
 * staged original. Idempotent on redelivery.
 */
public final class Releaser {
    private static final Logger LOG = LoggerFactory.getLogger(Releaser.class);

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
        if (!Files.exists(workspace.outgoing(fileId)) && new StageGuard(workspace, records).stopIfDecided(exchange)) return;
        String relative = in.getHeader(HavenHeaders.RELEASE_PATH, String.class);
        if (relative == null || relative.contains("..")) throw new FileFault("file " + Stager.shortId(fileId) + " has no valid release path");
        String holder = records.claimReleasePath(relative, fileId);
        if (!holder.equals(fileId)) {
            throw new QuarantineException("duplicate-instance", "same project, patient and instance UIDs already released from file "
                + Stager.shortId(holder));
        }
        Path target = workspace.release().resolve(relative);
        Path outgoing = workspace.outgoing(fileId);
        if (Files.exists(outgoing)) {
            Workspace.moveInto(outgoing, target);
        } else if (!Files.exists(target)) {
            // not a passing fault: retrying cannot bring the copy back, so hold the original (fail closed)
            throw new QuarantineException("output-missing", "the de-identified copy is neither outgoing nor released");
        }
        boolean recorded;
        try {
            recorded = records.decide(fileId, "released", null, in.getHeader(HavenHeaders.PROFILE, String.class), relative, node);
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
}

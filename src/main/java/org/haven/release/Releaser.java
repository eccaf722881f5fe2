package org.haven.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haven.HavenHeaders;
import org.haven.ingest.Stager;
import org.haven.quarantine.FileFault;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.store.ReleaseNotes;
import org.haven.store.StageGuard;
import org.haven.store.Store;
import org.haven.store.SupersededCopies;
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

    /** How a release ended under the claim's lock. */
    private enum Result { RELEASED, OUTPUT_MISSING, PREFERRED_HOLDER, DECIDED_ELSEWHERE }

    /**
     * A release's end; {@code other} is the other file of the instance: the one whose preferred encoding stays
     * released ({@link Result#PREFERRED_HOLDER}), or the one this file's release replaced ({@link Result#RELEASED}).
     */
    private record Placement(Result result, String other) {
        static final Placement RELEASED = new Placement(Result.RELEASED, null);
        static final Placement OUTPUT_MISSING = new Placement(Result.OUTPUT_MISSING, null);
        static final Placement DECIDED_ELSEWHERE = new Placement(Result.DECIDED_ELSEWHERE, null);
    }

    /** What one attempt changed on disk before its commit: undone when the commit does not happen. */
    private static final class Attempt {
        boolean moved;      // this file's copy renamed onto the path it holds the claim on
        String superseded;  // the holder whose release this file began to replace
    }

    private final Workspace workspace;
    private final FileRecords records;
    private final SupersededCopies copies;
    private final ReleaseNotes notes;
    private final String node;

    public Releaser(Workspace workspace, FileRecords records, String node) {
        this.workspace = workspace;
        this.records = records;
        this.copies = new SupersededCopies(workspace, records, node);
        this.notes = new ReleaseNotes(workspace, records);
        this.node = node;
    }

    public void release(Exchange exchange) throws IOException, SQLException, QuarantineException {
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        if (!Files.exists(workspace.outgoing(fileId)) && new StageGuard(workspace, records, node).stopIfDecided(exchange)) return;
        String relative = in.getHeader(HavenHeaders.RELEASE_PATH, String.class);
        if (relative == null || relative.contains("..")) throw new FileFault("file " + Stager.shortId(fileId) + " has no valid release path");
        String transferSyntax = in.getHeader(HavenHeaders.TRANSFER_SYNTAX, String.class); // classify's (its sighting waits for the fate)
        // before the rename: a copy a crash leaves in release/ (claim and fate commit after it) is found by this note
        notes.begin(fileId, relative);
        Placement placement = place(exchange, fileId, relative, transferSyntax);
        switch (placement.result()) {
            case DECIDED_ELSEWHERE:
                return;
            case OUTPUT_MISSING:
                throw new QuarantineException("output-missing", "the de-identified copy is neither outgoing nor released");
            case PREFERRED_HOLDER:
                throw new QuarantineException("duplicate-instance", "same project, patient and instance UIDs released from file "
                    + Stager.shortId(placement.other()) + ", whose encoding is preferred ("
                    + EncodingPreference.why(records.transferSyntax(placement.other()), transferSyntax(exchange, fileId)) + ")");
            case RELEASED:
                break;
        }
        FileRecords.takePending(exchange);
        if (placement.other() != null) {
            LOG.info("file {} supersedes file {} on one instance ({})", Stager.shortId(fileId), Stager.shortId(placement.other()),
                EncodingPreference.why(records.transferSyntax(fileId), records.transferSyntax(placement.other())));
        }
        LOG.info("released file {} with profile {}", Stager.shortId(fileId), in.getHeader(HavenHeaders.PROFILE, String.class));
        notes.end(fileId);
        Files.deleteIfExists(workspace.staged(fileId));
    }

    /**
     * Under the claim's lock (claimed in the same transaction when no file holds it), the holder's file, or a
     * preferred encoding of the same instance, moves onto the release path and its fate is recorded: one commit for
     * claim, lock, move and fate; two files of one instance never move there at once. A fault before the commit puts
     * the files back as the store says they are; a lost file record is re-created and the release tried once more.
     */
    private Placement place(Exchange exchange, String fileId, String relative, String transferSyntax) throws IOException, SQLException {
        // the journey's held-back rows and events go with its fate; taken from the exchange once written (else a hold writes them)
        FileRecords.Journey journey = FileRecords.pending(exchange);
        String profile = exchange.getIn().getHeader(HavenHeaders.PROFILE, String.class);
        for (boolean retried = false; ; retried = true) {
            Attempt attempt = new Attempt();
            try {
                return records.claimUnderLock(relative, fileId, transferSyntax, (c, holder) -> holder.equals(fileId)
                    ? releaseOwn(c, fileId, relative, profile, journey, attempt)
                    : supersedeOrKeep(exchange, c, holder, fileId, relative, profile, journey, attempt));
            } catch (IOException | SQLException | RuntimeException e) {
                if (!attempt.moved && attempt.superseded == null) throw e;
                boolean decided = e instanceof SQLException && Store.isDuplicateKey((SQLException) e);
                // a fate recorded first (this release's own by an earlier delivery, or another delivery's: then this copy
                // must not stay), or this commit landed and only its answer was lost: the store says which
                if (attempt.moved && releasedHere(fileId, relative, e)) return Placement.RELEASED;
                if (undo(attempt, fileId, relative, e)) return Placement.RELEASED;
                if (decided) {
                    withdraw(exchange, fileId, relative);
                    return Placement.DECIDED_ELSEWHERE;
                }
                if (retried || !(e instanceof SQLException) || !FileRecords.isMissingParent((SQLException) e)) throw e;
                records.reconcile(fileId, node); // the store lost the file's record: re-create it, then release again
            }
        }
    }

    /** This file holds the claim: its copy moves onto the path and its fate is recorded. */
    private Placement releaseOwn(Connection c, String fileId, String relative, String profile, FileRecords.Journey journey,
                                 Attempt attempt) throws IOException, SQLException {
        Path outgoing = workspace.outgoing(fileId), target = workspace.release().resolve(relative);
        // not a passing fault: retrying cannot bring the copy back, so hold the original (fail closed)
        if (!Files.exists(outgoing) && !Files.exists(target)) return Placement.OUTPUT_MISSING;
        if (Files.exists(outgoing)) Workspace.moveInto(outgoing, target); // else moved there by an earlier delivery
        attempt.moved = true;
        records.decide(c, fileId, "released", null, profile, relative, node, journey);
        return Placement.RELEASED;
    }

    /**
     * Another file of the same instance holds the claim: this file's encoding replaces the holder's when it is
     * preferred (the holder, if released, keeps its bytes in the quarantine; claim and both fates in this commit),
     * else the holder stays.
     */
    private Placement supersedeOrKeep(Exchange exchange, Connection c, String holder, String fileId, String relative, String profile,
                                      FileRecords.Journey journey, Attempt attempt) throws IOException, SQLException {
        String mine = transferSyntax(exchange, fileId), theirs = records.transferSyntax(holder); // a holder's is stored with its claim
        Path outgoing = workspace.outgoing(fileId), target = workspace.release().resolve(relative);
        if (!Files.exists(outgoing) && !Files.exists(target)) return Placement.OUTPUT_MISSING;
        if (!EncodingPreference.prefers(fileId, mine, holder, theirs)) return new Placement(Result.PREFERRED_HOLDER, holder);
        copies.putBack(c, holder, relative); // an earlier supersede of this path a crash cut short: undone first
        // only this file's own copy may replace the holder's bytes (fail closed)
        if (!Files.exists(outgoing)) return Placement.OUTPUT_MISSING;
        String detail = "superseded by file " + Stager.shortId(fileId) + ": " + EncodingPreference.why(mine, theirs);
        records.supersedeBegun(fileId, relative, node); // committed on its own: a crash after the rename is put back from it
        attempt.superseded = holder;
        String loserLocation = records.isReleased(c, holder) && Files.exists(target) ? copies.keep(target, holder, fileId, detail) : null;
        Workspace.moveInto(outgoing, target); // atomic rename, replacing the holder's bytes
        records.supersede(c, relative, holder, fileId, detail, loserLocation, node);
        records.decide(c, fileId, "released", null, profile, relative, node, journey);
        return new Placement(Result.RELEASED, holder);
    }

    /**
     * After a fault before the commit: nothing may sit in release/ without a released outcome. This file's own copy
     * goes back to outgoing; a supersede is settled under the claim's lock by what the store says (returns true when
     * its commit landed after all, a lost answer). The redelivery tries again (or, after max-deliveries, the quarantine
     * takes the original).
     */
    private boolean undo(Attempt attempt, String fileId, String relative, Exception fault) throws IOException, SQLException {
        Path outgoing = workspace.outgoing(fileId), target = workspace.release().resolve(relative);
        if (attempt.moved) {
            moveBack(target, outgoing, fileId);
            return false;
        }
        try {
            return records.underClaimLock(relative, (c, holder) -> {
                if (holder.equals(fileId)) return true;
                if (!holder.equals(attempt.superseded)) return false; // another file took the path since: the files follow it
                if (!copies.putBack(c, holder, relative) && !records.isReleased(c, holder) && !Files.exists(outgoing) && Files.exists(target)) {
                    Workspace.moveInto(target, outgoing); // the holder still in flight: only this file's copy to take back
                }
                return false;
            });
        } catch (IOException | SQLException | RuntimeException e) {
            // left as a crash would leave it: the redelivery, the hold or the next start-up puts it back
            LOG.error("file {}: a release that did not commit could not be undone yet", Stager.shortId(fileId));
            fault.addSuppressed(e);
            if (fault instanceof IOException io) throw io;
            if (fault instanceof SQLException sql) throw sql;
            throw (RuntimeException) fault;
        }
    }

    /** The transfer syntax the file arrived in: classify's header, else (a message from an earlier version) the store's. */
    private String transferSyntax(Exchange exchange, String fileId) throws SQLException {
        String ts = exchange.getIn().getHeader(HavenHeaders.TRANSFER_SYNTAX, String.class);
        return ts != null ? ts : records.transferSyntax(fileId);
    }

    /** Whether the store says this file is released on {@code relative}; false when it cannot say (kept with the fault). */
    private boolean releasedHere(String fileId, String relative, Exception fault) {
        try {
            return relative.equals(records.outcome(fileId).map(FileRecords.Outcome::releasedAt).orElse(null));
        } catch (SQLException e) {
            fault.addSuppressed(e);
            return false;
        }
    }

    /**
     * A fate was recorded for this file first by a concurrent delivery (held): this copy must not stay released.
     * Its copy is dropped, its claim given up and the route stopped.
     */
    private void withdraw(Exchange exchange, String fileId, String relative) throws IOException, SQLException {
        Files.deleteIfExists(workspace.outgoing(fileId));
        records.releaseClaim(relative, fileId); // a claim an earlier delivery committed without a fate (output-missing)
        notes.settle(fileId, null);
        LOG.warn("file {} was not released: its fate was already recorded as {}", Stager.shortId(fileId),
            records.outcome(fileId).map(FileRecords.Outcome::outcome).orElse("(none)"));
        exchange.setRouteStop(true);
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

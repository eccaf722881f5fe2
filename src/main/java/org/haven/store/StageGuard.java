package org.haven.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.haven.HavenHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stage first asks: has this file already met its fate? A redelivered message, or the second copy of a file
 * that arrived twice while the first was in flight, finds the staged original gone and an outcome recorded; the
 * route then stops quietly (the transaction commits), instead of failing and being redelivered for ever.
 *
 * <p>A hold cut short counts as a fate met: the quarantine records {@code holding}, moves the original into
 * {@code quarantine/<reason>/}, then records the outcome. A kill between the move and the record (or a second
 * delivery arriving in that moment) finds the original held and no outcome; running the stage again would read a
 * staged file that is not there and hold it for another reason ({@code unreadable}). The hold is finished instead,
 * with the reason and detail it began with, so a crash never changes a file's fate.
 */
public final class StageGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StageGuard.class);

    private final Workspace workspace;
    private final FileRecords records;
    private final String node;

    public StageGuard(Workspace workspace, FileRecords records, String node) {
        this.workspace = workspace;
        this.records = records;
        this.node = node;
    }

    /** True, with the route stopped, when the message is about a file already decided (or held by a hold cut short). */
    public boolean stopIfDecided(Exchange exchange) throws SQLException, java.io.IOException {
        String fileId = exchange.getIn().getHeader(HavenHeaders.FILE_ID, String.class);
        if (fileId == null || Files.exists(workspace.staged(fileId))) return false;
        Optional<FileRecords.Outcome> outcome = records.outcome(fileId);
        if (outcome.isEmpty() && !finishInterruptedHold(fileId)) return false;
        Files.deleteIfExists(workspace.outgoing(fileId)); // a copy the duplicate wrote after the fate was decided
        // a release note left by a crash after the fate (or after a hold, before its withdrawal)
        new ReleaseNotes(workspace, records).settle(fileId, outcome.map(FileRecords.Outcome::releasedAt).orElse(null));
        exchange.setRouteStop(true);
        return true;
    }

    /**
     * At start-up: finishes every hold a crash cut short after the move, including those no message will come back
     * for (a too-large file is held straight from the inbox, so no redelivery brings it back). Returns how many.
     */
    public int finishInterruptedHolds() throws SQLException {
        int n = 0;
        for (String fileId : records.undecidedWithHoldBegun()) {
            if (!Files.exists(workspace.staged(fileId)) && records.outcome(fileId).isEmpty() && finishInterruptedHold(fileId)) n++;
        }
        return n;
    }

    /**
     * When the file's last hold moved its original into the quarantine but no fate was recorded, records that hold's
     * fate (reason, detail, location) and returns true; false when there is no such hold (nothing is changed).
     */
    public boolean finishInterruptedHold(String fileId) throws SQLException {
        Optional<FileRecords.Outcome> begun = records.lastHolding(fileId);
        if (begun.isEmpty() || begun.get().reason() == null) return false;
        String reason = begun.get().reason();
        Path original = workspace.held(reason, fileId);
        if (!Files.exists(original)) return false; // the hold never moved it (or it was taken out again): not held
        String location = workspace.quarantine().relativize(original).toString();
        String detail = begun.get().detail() == null ? "" : begun.get().detail();
        if (records.decide(fileId, "quarantined", reason, detail, location, node)) {
            records.event(fileId, "hold-finished", reason, "the original was in the quarantine with no fate recorded (a hold cut short"
                + " by a crash, or a second delivery in the middle of it): its fate recorded as the hold began it", node);
            LOG.warn("file {} was held as {} with no fate recorded (a hold cut short): fate recorded", fileId.substring(0, Math.min(12, fileId.length())), reason);
        }
        return true;
    }
}

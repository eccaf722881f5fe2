package org.haven.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.haven.store.FileRecords;
import org.haven.store.Store;

/** The export_outcome table: which released file still has to go where, and what happened when it went. */
final class ExportStore {
    /** How long a node owns the rows it claimed (a node that dies mid-delivery loses them after this). */
    static final Duration CLAIM = Duration.ofMinutes(5);

    record Due(String fileId, String location, int attempts) {}

    private final Store store;
    private final String node;

    ExportStore(Store store, String node) {
        this.store = store;
        this.node = node;
    }

    /**
     * Creates pending rows for files released since {@code since} that have none for the destination yet, a page of
     * {@code page} releases at a time in (decided_at, file_id) order (memory stays bounded when a destination is added to
     * an archive of millions), and after each page records how far the scan has looked ({@link #scannedUntil}). Only
     * released outcomes qualify: held and rejected files never get a row. Returns how many were added.
     *
     * <p>A release's decided_at is set before its commit, so one may become visible after a scan passed its place: the
     * recorded position stays {@code overlap} behind the scan (longer than any fate transaction), and the next scan
     * starts there.
     */
    int discover(Destination d, Instant since, int page, Duration overlap) throws SQLException {
        Instant started = Instant.now();
        Timestamp afterAt = Timestamp.from(since);
        String afterId = "";
        int added = 0;
        while (true) {
            List<String[]> found = new ArrayList<>();
            int scanned = 0;
            try (Connection c = store.connection();
                 PreparedStatement ps = c.prepareStatement("select o.file_id, o.location, o.decided_at from file_outcome o"
                     + " where o.outcome = 'released' and (o.decided_at, o.file_id) > (?, ?)"
                     + " and o.location is not null"
                     + " and not exists (select 1 from export_outcome e where e.file_id = o.file_id and e.destination = ?)"
                     + " order by o.decided_at, o.file_id limit ?")) {
                ps.setTimestamp(1, afterAt);
                ps.setString(2, afterId);
                ps.setString(3, d.id());
                ps.setInt(4, page);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        scanned++;
                        afterId = rs.getString(1);
                        afterAt = rs.getTimestamp(3);
                        if (d.wants(rs.getString(2))) found.add(new String[] {afterId, rs.getString(2)});
                    }
                }
            }
            added += insertPending(d, found);
            boolean last = scanned < page;
            // never past this scan's start: a node whose clock runs ahead may have decided a file "later"
            Instant reached = last || afterAt.toInstant().isAfter(started) ? started : afterAt.toInstant();
            recordScanned(d, reached.minus(overlap));
            if (last) return added;
        }
    }

    private int insertPending(Destination d, List<String[]> found) throws SQLException {
        int added = 0;
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("insert into export_outcome (file_id, destination, location, status, attempts,"
                 + " next_attempt_at, created_at) values (?, ?, ?, 'pending', 0, ?, ?)")) {
            for (String[] f : found) {
                Timestamp now = Timestamp.from(Instant.now());
                ps.setString(1, f[0]);
                ps.setString(2, d.id());
                ps.setString(3, f[1]);
                ps.setTimestamp(4, now);
                ps.setTimestamp(5, now);
                try {
                    added += ps.executeUpdate();
                } catch (SQLException e) {
                    if (!Store.isDuplicateKey(e)) throw e; // another node found it first
                }
            }
        }
        return added;
    }

    /** Where a scan for the destination, as it is now configured, may start: the epoch when it never ran. */
    Instant scannedUntil(Destination d) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select scanned_until from export_scan where destination = ? and selection = ?")) {
            ps.setString(1, d.id());
            ps.setString(2, selection(d));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : Instant.EPOCH;
            }
        }
    }

    /** Moves the destination's recorded position forward (never back: a slower node's older scan leaves it). */
    private void recordScanned(Destination d, Instant until) throws SQLException {
        try (Connection c = store.connection()) {
            try (PreparedStatement up = c.prepareStatement("update export_scan set scanned_until = ?"
                    + " where destination = ? and selection = ? and scanned_until < ?")) {
                up.setTimestamp(1, Timestamp.from(until));
                up.setString(2, d.id());
                up.setString(3, selection(d));
                up.setTimestamp(4, Timestamp.from(until));
                if (up.executeUpdate() == 1) return;
            }
            try (PreparedStatement in = c.prepareStatement("insert into export_scan (destination, selection, scanned_until) values (?, ?, ?)")) {
                in.setString(1, d.id());
                in.setString(2, selection(d));
                in.setTimestamp(3, Timestamp.from(until));
                in.executeUpdate();
            } catch (SQLException e) {
                if (!Store.isDuplicateKey(e)) throw e; // the row exists, at or past this point, or another node just made it
            }
        }
    }

    /** The releases a destination takes, as configured: its projects in order, or empty for all. */
    static String selection(Destination d) {
        return String.join(",", new java.util.TreeSet<>(d.projects()));
    }

    /** Claims up to {@code limit} due rows of a destination whose file is (still) released. */
    List<Due> claimDue(Destination d, int limit) throws SQLException {
        List<Due> candidates = new ArrayList<>();
        Instant now = Instant.now();
        try (Connection c = store.connection()) {
            try (PreparedStatement ps = c.prepareStatement("select e.file_id, e.location, e.attempts from export_outcome e"
                    + " join file_outcome o on o.file_id = e.file_id and o.outcome = 'released'"
                    + " where e.destination = ? and e.status = 'pending' and e.next_attempt_at <= ?"
                    + " and (e.claimed_until is null or e.claimed_until < ?) order by e.next_attempt_at")) {
                ps.setString(1, d.id());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) candidates.add(new Due(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
            }
            List<Due> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("update export_outcome set claimed_by = ?, claimed_until = ?"
                    + " where file_id = ? and destination = ? and status = 'pending' and (claimed_until is null or claimed_until < ?)")) {
                for (Due due : candidates) {
                    ps.setString(1, node);
                    ps.setTimestamp(2, Timestamp.from(now.plus(CLAIM)));
                    ps.setString(3, due.fileId());
                    ps.setString(4, d.id());
                    ps.setTimestamp(5, Timestamp.from(now));
                    if (ps.executeUpdate() == 1) claimed.add(due);
                }
            }
            return claimed;
        }
    }

    void delivered(Destination d, Due due) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("update export_outcome set status = 'delivered', attempts = attempts + 1,"
                    + " delivered_at = ?, last_error = null, claimed_by = null, claimed_until = null where file_id = ? and destination = ?")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setString(2, due.fileId());
                ps.setString(3, d.id());
                ps.executeUpdate();
                FileRecords.insertEvent(c, due.fileId(), "exported", null, "delivered to " + d.id(), node);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Records a failed attempt: due again after the back-off, or failed for good after max-attempts. */
    void attemptFailed(Destination d, Due due, String error) throws SQLException {
        int attempts = due.attempts() + 1;
        boolean giveUp = attempts >= d.retry().maxAttempts();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("update export_outcome set status = ?, attempts = ?, last_error = ?,"
                 + " next_attempt_at = ?, claimed_by = null, claimed_until = null where file_id = ? and destination = ?")) {
            ps.setString(1, giveUp ? "failed" : "pending");
            ps.setInt(2, attempts);
            ps.setString(3, error.length() > 1000 ? error.substring(0, 1000) : error);
            ps.setTimestamp(4, Timestamp.from(Instant.now().plus(d.retry().after(attempts))));
            ps.setString(5, due.fileId());
            ps.setString(6, d.id());
            ps.executeUpdate();
            if (giveUp) FileRecords.insertEvent(c, due.fileId(), "export-failed", null, d.id() + ": " + error, node);
        }
    }
}

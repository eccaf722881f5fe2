package org.haven.classify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.util.Map;
import java.util.TreeMap;

import org.haven.store.Store;

/**
 * Files seen per device signature and board, counted without a shared row lock (V4_20__device_sightings.sql): a
 * file's fate transaction inserts one {@code device_sighting} row; {@link #fold} adds the rows to
 * {@code device_seen.files} and {@code device_seen_board.files} and deletes them, in one transaction; readers sum the
 * totals and the rows not folded yet in one statement ({@link #byBoard}), so a count is never seen twice or missed.
 */
public final class SightingCounts {
    /** Rows folded per transaction: a fold's locks and memory stay small whatever has piled up. */
    static final int FOLD_BATCH = 20_000;

    private final Store store;
    /** Runs between a fold's read and its delete (tests: a sighting committing there). */
    volatile Runnable afterRead = () -> { };

    public SightingCounts(Store store) { this.store = store; }

    /** Counts {@code board}'s file towards device {@code signatureId}, in the caller's transaction. */
    static void count(Connection c, String signatureId, String board, Timestamp at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into device_sighting (signature_id, board, seen_at) values (?, ?, ?)")) {
            ps.setString(1, signatureId);
            ps.setString(2, board);
            ps.setTimestamp(3, at);
            ps.executeUpdate();
        }
    }

    /** Files seen per signature id and board: the folded totals plus the rows not folded yet, as of one statement. */
    static Map<String, Map<String, Long>> byBoard(Connection c) throws SQLException {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select signature_id, board, sum(files) from"
                + " (select signature_id, board, files from device_seen_board"
                + " union all select signature_id, board, 1 from device_sighting) t group by signature_id, board");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
        }
        return out;
    }

    /**
     * Adds the sightings to the totals and deletes them, {@link #FOLD_BATCH} rows per transaction, until none are
     * left. Safe on any number of nodes at once: a fold deletes exactly the rows it read or rolls back (a sighting
     * with a lower id can commit after a higher one was read; another node may have folded the same rows first), and
     * the next fold takes them. Returns the sightings folded.
     */
    public long fold() throws SQLException {
        long folded = 0;
        while (true) {
            int n = foldOnce();
            if (n <= 0) return folded;
            folded += n;
            if (n < FOLD_BATCH) return folded;
        }
    }

    private record Total(long files, Timestamp first, Timestamp last) {
        Total plus(Timestamp at) {
            return new Total(files + 1, at.before(first) ? at : first, at.after(last) ? at : last);
        }
    }

    /** One batch; the number of rows folded, 0 when there were none, −1 when the batch was given up (see {@link #fold}). */
    private int foldOnce() throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Map<String, Total>> bySignature = new TreeMap<>(); // sorted: every fold locks rows in one order
                long upTo = -1;
                int rows = 0;
                try (PreparedStatement ps = c.prepareStatement("select id, signature_id, board, seen_at from device_sighting order by id"
                        + " fetch first " + FOLD_BATCH + " rows only");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        upTo = rs.getLong(1);
                        rows++;
                        Timestamp at = rs.getTimestamp(4);
                        bySignature.computeIfAbsent(rs.getString(2), k -> new TreeMap<>())
                            .merge(rs.getString(3), new Total(1, at, at), (a, b) -> a.plus(at));
                    }
                }
                if (rows == 0) {
                    c.rollback();
                    return 0;
                }
                afterRead.run();
                try (PreparedStatement ps = c.prepareStatement("delete from device_sighting where id <= ?")) {
                    ps.setLong(1, upTo);
                    if (ps.executeUpdate() != rows) {
                        c.rollback();
                        return -1;
                    }
                }
                for (Map.Entry<String, Map<String, Total>> s : bySignature.entrySet()) {
                    long files = 0;
                    Timestamp last = null;
                    for (Map.Entry<String, Total> b : s.getValue().entrySet()) {
                        addToBoard(c, s.getKey(), b.getKey(), b.getValue());
                        files += b.getValue().files();
                        if (last == null || b.getValue().last().after(last)) last = b.getValue().last();
                    }
                    addToDevice(c, s.getKey(), files, last);
                }
                c.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void addToBoard(Connection c, String signatureId, String board, Total t) throws SQLException {
        if (updateBoard(c, signatureId, board, t) > 0) return;
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(
                "insert into device_seen_board (signature_id, board, files, first_seen, last_seen) values (?, ?, ?, ?, ?)")) {
            ps.setString(1, signatureId);
            ps.setString(2, board);
            ps.setLong(3, t.files());
            ps.setTimestamp(4, t.first());
            ps.setTimestamp(5, t.last());
            ps.executeUpdate();
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            if (!Store.isDuplicateKey(e)) throw e;
            c.rollback(sp);
            updateBoard(c, signatureId, board, t); // rows of an older store's direct count met a fold's insert
        }
    }

    private static int updateBoard(Connection c, String signatureId, String board, Total t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update device_seen_board set files = files + ?,"
                + " first_seen = least(first_seen, ?), last_seen = greatest(last_seen, ?) where signature_id = ? and board = ?")) {
            ps.setLong(1, t.files());
            ps.setTimestamp(2, t.first());
            ps.setTimestamp(3, t.last());
            ps.setString(4, signatureId);
            ps.setString(5, board);
            return ps.executeUpdate();
        }
    }

    private static void addToDevice(Connection c, String signatureId, long files, Timestamp last) throws SQLException {
        // the device's row is inserted with its first sighting, in the same transaction as the sighting's row
        try (PreparedStatement ps = c.prepareStatement(
                "update device_seen set files = files + ?, last_seen = greatest(last_seen, ?) where signature_id = ?")) {
            ps.setLong(1, files);
            ps.setTimestamp(2, last);
            ps.setString(3, signatureId);
            if (ps.executeUpdate() != 1) throw new SQLException("device_seen has no row for a sighted signature");
        }
    }
}

package org.haven.classify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.TreeMap;

import org.haven.store.CountFold;
import org.haven.store.Store;

/**
 * Files seen per device signature and board, counted without a shared row lock (V4_20__device_sightings.sql): a
 * file's fate transaction inserts one {@code device_sighting} row; {@link #fold} adds the rows to
 * {@code device_seen.files} and {@code device_seen_board.files} ({@link CountFold}); readers sum the totals and the
 * rows not folded yet in one statement ({@link #byBoard}).
 */
public final class SightingCounts {
    final CountFold fold;

    public SightingCounts(Store store) {
        fold = new CountFold(store, "device_sighting", "signature_id, board, seen_at", Batch::new);
    }

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

    /** Adds the sightings to the totals and deletes them ({@link CountFold}); the sightings folded. */
    public long fold() throws SQLException {
        return fold.fold();
    }

    private record Total(long files, Timestamp first, Timestamp last) {
        Total plus(Timestamp at) {
            return new Total(files + 1, at.before(first) ? at : first, at.after(last) ? at : last);
        }
    }

    /** One fold's sightings per signature and board, added to both device tables. */
    private static final class Batch implements CountFold.Batch {
        private final Map<String, Map<String, Total>> bySignature = new TreeMap<>();

        @Override public void add(ResultSet rs) throws SQLException {
            Timestamp at = rs.getTimestamp(4);
            bySignature.computeIfAbsent(rs.getString(2), k -> new TreeMap<>()).merge(rs.getString(3), new Total(1, at, at), (a, b) -> a.plus(at));
        }

        @Override public void apply(Connection c) throws SQLException {
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
        }
    }

    /** Inserted by the fold that first counts the board (folds take turns: no other can insert it meanwhile). */
    private static void addToBoard(Connection c, String signatureId, String board, Total t) throws SQLException {
        if (updateBoard(c, signatureId, board, t) > 0) return;
        try (PreparedStatement ps = c.prepareStatement(
                "insert into device_seen_board (signature_id, board, files, first_seen, last_seen) values (?, ?, ?, ?, ?)")) {
            ps.setString(1, signatureId);
            ps.setString(2, board);
            ps.setLong(3, t.files());
            ps.setTimestamp(4, t.first());
            ps.setTimestamp(5, t.last());
            ps.executeUpdate();
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

package org.haven.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Files per fate, device signature and board, without counting the archive (V4_21__fate_counts.sql): every statement
 * that inserts, changes or deletes a {@code file_outcome} row calls {@link #arrived} or {@link #left} in its
 * transaction, which inserts a {@code fate_change} row; {@link #fold} adds them to {@code fate_count}
 * ({@link CountFold}); {@link #all} sums both in one statement. '' stands for no reason and no signature.
 */
public final class FateCounts {
    /** Files with one fate, reason, device signature id and board. */
    public record Count(String outcome, String reason, String signatureId, String board, long files) {}

    private final CountFold fold;

    public FateCounts(Store store) {
        fold = new CountFold(store, "fate_change", "outcome, reason, signature_id, board, files", Batch::new);
    }

    /** The file's fate {@code outcome}/{@code reason} was recorded, in the caller's transaction (after the file's sighting). */
    public static void arrived(Connection c, String fileId, String outcome, String reason) throws SQLException {
        change(c, fileId, outcome, reason, 1);
    }

    /** The file's fate {@code outcome}/{@code reason} was deleted or changed, in the caller's transaction. */
    public static void left(Connection c, String fileId, String outcome, String reason) throws SQLException {
        change(c, fileId, outcome, reason, -1);
    }

    private static void change(Connection c, String fileId, String outcome, String reason, int files) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into fate_change (outcome, reason, signature_id, board, files)"
                + " select ?, ?, coalesce(signature_id, ''), board, ? from haven_file where file_id = ?")) {
            ps.setString(1, outcome);
            ps.setString(2, reason == null ? "" : reason);
            ps.setInt(3, files);
            ps.setString(4, fileId);
            // a foreign key's state, as for any row of a file the store has no record of (FileRecords#isMissingParent)
            if (ps.executeUpdate() != 1) throw new SQLException("no file record for a fate being counted", "23503");
        }
    }

    /** Every count that is not zero, as of one statement. */
    public static List<Count> all(Connection c) throws SQLException {
        List<Count> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select outcome, reason, signature_id, board, sum(files) from"
                + " (select outcome, reason, signature_id, board, files from fate_count"
                + " union all select outcome, reason, signature_id, board, files from fate_change) t"
                + " group by outcome, reason, signature_id, board having sum(files) <> 0 order by outcome, reason, signature_id, board");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new Count(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
        }
        return out;
    }

    /** Adds the changes to the totals and deletes them; the changes folded. */
    public long fold() throws SQLException {
        return fold.fold();
    }

    /** One fold's changes summed per key, added to {@code fate_count} (a total that reaches 0 is deleted). */
    private static final class Batch implements CountFold.Batch {
        private final Map<List<String>, Long> sums = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));

        @Override public void add(ResultSet rs) throws SQLException {
            sums.merge(List.of(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)), (long) rs.getInt(6), Long::sum);
        }

        @Override public void apply(Connection c) throws SQLException {
            for (Map.Entry<List<String>, Long> e : sums.entrySet()) {
                if (e.getValue() == 0) continue;
                if (add(c, e.getKey(), e.getValue()) == 0) insert(c, e.getKey(), e.getValue());
            }
            try (PreparedStatement ps = c.prepareStatement("delete from fate_count where files = 0")) {
                ps.executeUpdate();
            }
        }

        private static int add(Connection c, List<String> key, long files) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("update fate_count set files = files + ?"
                    + " where outcome = ? and reason = ? and signature_id = ? and board = ?")) {
                ps.setLong(1, files);
                bindKey(ps, 2, key);
                return ps.executeUpdate();
            }
        }

        /** A key no fold has added yet (folds take turns: no other can insert it meanwhile). */
        private static void insert(Connection c, List<String> key, long files) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("insert into fate_count (files, outcome, reason, signature_id, board) values (?, ?, ?, ?, ?)")) {
                ps.setLong(1, files);
                bindKey(ps, 2, key);
                ps.executeUpdate();
            }
        }

        private static void bindKey(PreparedStatement ps, int from, List<String> key) throws SQLException {
            for (int i = 0; i < key.size(); i++) ps.setString(from + i, key.get(i));
        }
    }
}

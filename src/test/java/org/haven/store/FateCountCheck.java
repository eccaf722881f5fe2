package org.haven.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fate counts as {@link FateCounts} keeps them (totals plus changes not folded yet) must be what counting the
 * archive gives, per fate, reason, device signature and board: a statement that gives, changes or takes away a fate
 * without its change row would make them differ. One statement, so one snapshot. Called where {@link InFlightCheck} is.
 */
public final class FateCountCheck {
    private FateCountCheck() {}

    public static void assertMatchesTheStore(Store store) throws SQLException {
        List<String> wrong = new ArrayList<>();
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(
                "select outcome, reason, signature_id, board, sum(files) from ("
                    + " select outcome, reason, signature_id, board, files from fate_count"
                    + " union all select outcome, reason, signature_id, board, files from fate_change"
                    + " union all select o.outcome, coalesce(o.reason, ''), coalesce(f.signature_id, ''), f.board, -1"
                    + " from file_outcome o join haven_file f on f.file_id = o.file_id"
                    + ") t group by outcome, reason, signature_id, board having sum(files) <> 0");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                wrong.add(rs.getString(1) + "/" + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + ": kept - counted = " + rs.getLong(5));
            }
        }
        assertThat(wrong).as("fate counts kept against file_outcome counted").isEmpty();
    }
}

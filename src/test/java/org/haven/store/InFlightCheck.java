package org.haven.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The files in flight as {@code file_in_flight} keeps them must be exactly those the archive says (received, no
 * outcome: the anti-join the table replaces), with their received time. One statement, so one snapshot: files being
 * decided meanwhile cannot make it differ. Called at the end of tests whose files take every path that gives or takes
 * away a fate.
 */
public final class InFlightCheck {
    private static final String UNDECIDED = "select f.file_id, f.received_at from haven_file f"
        + " where not exists (select 1 from file_outcome o where o.file_id = f.file_id)";

    private InFlightCheck() {}

    public static void assertMatchesTheStore(Store store) throws SQLException {
        List<String> wrong = new ArrayList<>();
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(
                "select 'listed, not in flight: ' || i.file_id from file_in_flight i where not exists"
                    + " (select 1 from (" + UNDECIDED + ") u where u.file_id = i.file_id and u.received_at = i.received_at)"
                    + " union all select 'in flight, not listed: ' || u.file_id from (" + UNDECIDED + ") u where not exists"
                    + " (select 1 from file_in_flight i where i.file_id = u.file_id)");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) wrong.add(rs.getString(1));
        }
        assertThat(wrong).as("file_in_flight against haven_file without file_outcome").isEmpty();
    }
}

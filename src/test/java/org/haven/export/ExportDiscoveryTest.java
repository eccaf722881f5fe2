package org.haven.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.haven.store.Store;
import org.haven.store.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding released files for a destination: page by page (every release exactly once, whatever the page size, and
 * never a held file), the position reached kept in the store so that a node starting again resumes there instead of
 * reading every release the archive ever made, and a destination whose selection (its projects) changed scanned again
 * from the start.
 */
class ExportDiscoveryTest {
    static final Duration OVERLAP = Duration.ofMinutes(5);
    static final int FILES = 2_400;

    @TempDir Path tmp;

    @Test
    void onH2() throws Exception { TestStores.onH2(this::run); }

    @Test
    void onPostgres() throws Exception { TestStores.onPostgres("export_discovery", this::run); }

    private void run(Store store) throws Exception {
        Instant base = Instant.now().minus(Duration.ofDays(2));
        Set<String> released = new HashSet<>();
        try (Connection c = store.connection()) {
            for (int i = 0; i < FILES; i++) {
                boolean held = i % 6 == 5;
                // three files per second: ties on decided_at cross page boundaries and exercise the file_id tie-break
                String id = file(c, "f" + i, held ? "quarantined" : "released", (i % 2 == 0 ? "a" : "b") + "/s/" + i + ".dcm",
                    base.plusSeconds(i / 3));
                if (!held) released.add(id);
            }
        }
        Destination all = destination(List.of());
        ExportStore first = new ExportStore(store, "node-a");
        assertThat(first.scannedUntil(all)).isEqualTo(Instant.EPOCH);

        // pages of 100: every release once, no held file
        Instant before = Instant.now();
        assertThat(first.discover(all, first.scannedUntil(all), 100, OVERLAP)).isEqualTo(released.size());
        assertThat(exported(store, "pacs")).isEqualTo(released);
        Instant reached = first.scannedUntil(all);
        assertThat(reached).isBetween(before.minus(OVERLAP).minusSeconds(1), Instant.now().minus(OVERLAP));

        // a release decided before the position reached, without a row (so only a scan from the start would find it),
        // and one decided now; a node starting again finds the new one and does not read the old releases again
        String old;
        String recent;
        try (Connection c = store.connection()) {
            old = file(c, "old", "released", "a/s/old.dcm", base.plusSeconds(10));
            recent = file(c, "recent", "released", "b/s/recent.dcm", Instant.now());
        }
        new Exporter(List.of(all), store, tmp, "node-b", 10).discover();
        Set<String> expected = new HashSet<>(released);
        expected.add(recent);
        assertThat(exported(store, "pacs")).isEqualTo(expected);

        // the destination narrowed to project a: another selection, so its scan starts from the beginning and finds
        // the old release (every other project-a release already has its row)
        Destination onlyA = destination(List.of("a"));
        ExportStore narrowed = new ExportStore(store, "node-b");
        assertThat(narrowed.scannedUntil(onlyA)).isEqualTo(Instant.EPOCH);
        assertThat(narrowed.discover(onlyA, narrowed.scannedUntil(onlyA), 100, OVERLAP)).isEqualTo(1);
        assertThat(exported(store, "pacs")).contains(old);
        // the older selection's position is kept, and an earlier position never moves it back
        assertThat(first.scannedUntil(all)).isAfterOrEqualTo(reached);
        first.discover(all, Instant.EPOCH, 100, Duration.ofDays(30));
        assertThat(first.scannedUntil(all)).isAfterOrEqualTo(reached);
    }

    private static Destination destination(List<String> projects) {
        return new Destination("pacs", Destination.Type.DICOM, "127.0.0.1", 104, "RESEARCH", "HAVEN", null, null, projects,
            new Destination.Retry(Duration.ofSeconds(1), Duration.ofSeconds(2), 3), "test");
    }

    private static String file(Connection c, String name, String outcome, String location, Instant decided) throws SQLException {
        String id = name;
        try (PreparedStatement f = c.prepareStatement("insert into haven_file (file_id, board, size_bytes, received_at) values (?, 'lothian', 1000, ?)");
             PreparedStatement o = c.prepareStatement("insert into file_outcome (file_id, outcome, reason, location, decided_at, node)"
                 + " values (?, ?, ?, ?, ?, 'n')")) {
            f.setString(1, id);
            f.setTimestamp(2, Timestamp.from(decided));
            f.executeUpdate();
            o.setString(1, id);
            o.setString(2, outcome);
            o.setString(3, outcome.equals("released") ? null : "device-review");
            o.setString(4, location);
            o.setTimestamp(5, Timestamp.from(decided));
            o.executeUpdate();
        }
        return id;
    }

    private static Set<String> exported(Store store, String destination) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select file_id from export_outcome where destination = ? and status = 'pending'")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}

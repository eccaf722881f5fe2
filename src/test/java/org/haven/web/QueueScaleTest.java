package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.haven.store.Store;
import org.junit.jupiter.api.Test;

/**
 * The queue with 100,000 held files: the page query uses the V3 indexes (plan checked), keyset paging visits every
 * file exactly once, and the counts kept (no dates) equal those counted (a date range). Times are printed for the
 * report, never asserted.
 */
class QueueScaleTest {
    static final int N = 100_000;
    static final String[] REASONS = {"unknown-device", "device-review", "device-blocked", "unreadable", "verification:name"};
    static final String[] BOARDS = {"lothian", "tayside", "grampian", "highland"};

    @Test
    void h2PagesStayFastAndUseTheIndex() throws Exception {
        try (Store store = Store.open("jdbc:h2:mem:queue" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2)) {
            run(store, "H2", "EXPLAIN ");
        }
    }

    @Test
    void postgresPagesStayFastAndUseTheIndex() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/test";
        String schema = "web_queue_scale";
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        } catch (java.sql.SQLException e) {
            org.junit.jupiter.api.Assumptions.abort("PostgreSQL at 127.0.0.1:5432 not reachable: " + e.getMessage());
        }
        try (Store store = Store.open(url + "?currentSchema=" + schema, "postgres", "", 2)) {
            run(store, "PostgreSQL", "EXPLAIN ");
        } finally {
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    private void run(Store store, String db, String explain) throws Exception {
        long t0 = System.nanoTime();
        fill(store);
        System.out.printf("%s: inserted %,d held files in %d ms%n", db, N, (System.nanoTime() - t0) / 1_000_000);
        try (Connection c = store.connection(); Statement st = c.createStatement()) {
            if (db.equals("PostgreSQL")) st.execute("analyze");
        }
        Queue q = new Queue(store);
        Queue.Filter all = Queue.Filter.of(Map.of());
        Queue.Filter byReason = Queue.Filter.of(Map.of("reason", "device-review"));

        // plans: the ordered page comes from an index, not a sort of the whole table
        String plan = plan(store, explain + Queue.firstPageSql(all, db.equals("H2")));
        String planReason = plan(store, explain + Queue.firstPageSql(byReason, db.equals("H2")).replace("o.reason = ?", "o.reason = 'device-review'"));
        System.out.println(db + " plan (all):\n" + plan + "\n" + db + " plan (reason):\n" + planReason);
        assertThat(plan.toLowerCase()).contains("file_outcome_queue");
        assertThat(planReason.toLowerCase()).contains("file_outcome_reason_queue");

        for (int warm = 0; warm < 3; warm++) q.page(all, null, 50);
        long a = System.nanoTime();
        Queue.Page first = q.page(all, null, 50);
        long firstMs = (System.nanoTime() - a) / 1000;
        // walk deep: 200 pages of 500 rows (to row 100,000), every file once
        Set<String> seen = new HashSet<>();
        String cursor = null;
        long deepest = 0;
        int pages = 0;
        do {
            long s = System.nanoTime();
            Queue.Page p = q.page(all, cursor, 500);
            deepest = System.nanoTime() - s;
            for (Queue.Item it : p.items()) assertThat(seen.add(it.fileId())).as("each file once").isTrue();
            cursor = p.next();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(N);
        long b = System.nanoTime();
        Queue.Page reasonPage = q.page(byReason, null, 50);
        long reasonUs = (System.nanoTime() - b) / 1000;
        long c0 = System.nanoTime();
        Map<String, Object> counts = q.counts(all);
        long countsMs = (System.nanoTime() - c0) / 1_000_000;
        // the kept counts (no dates) are what counting the held files gives (a date range that holds them all)
        long c1 = System.nanoTime();
        Map<String, Object> counted = q.counts(Queue.Filter.of(Map.of("from", "2000-01-01", "to", "2999-12-31")));
        long countedMs = (System.nanoTime() - c1) / 1_000_000;
        assertThat(counts).isEqualTo(counted);
        for (Map<String, String> f : List.of(Map.of("reason", "unreadable"), Map.of("board", "tayside"), Map.of("device", "US|Maker|M7|1.0"),
                Map.of("reason", "device-review", "board", "highland", "device", "US|Maker|M3|1.0"))) {
            Map<String, String> dated = new java.util.HashMap<>(f);
            dated.put("from", "2000-01-01");
            assertThat(q.counts(Queue.Filter.of(f))).as(f.toString()).isEqualTo(q.counts(Queue.Filter.of(dated)));
        }
        assertThat(((Map<?, ?>) counts.get("byDevice"))).hasSize(40);
        assertThat(first.items()).hasSize(50);
        assertThat(reasonPage.items()).allMatch(i -> i.reason().equals("device-review"));
        assertThat(counts.get("total")).isEqualTo((long) N);
        System.out.printf("%s: first page %d us, last of %d pages %d us, reason-filtered page %d us, counts kept %d ms, counted (3 group-bys) %d ms%n",
            db, firstMs, pages, deepest / 1000, reasonUs, countsMs, countedMs);
    }

    private static String plan(Store store, String sql) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = store.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) sb.append(rs.getString(1)).append('\n');
        }
        return sb.toString();
    }

    private static void fill(Store store) throws Exception {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement d = c.prepareStatement("insert into device_seen (signature_id, signature, state, first_seen, last_seen, files)"
                    + " values (?, ?, 'review', ?, ?, 0)")) {
                for (int m = 0; m < 40; m++) {
                    d.setString(1, sha256("US|Maker|M" + m + "|1.0"));
                    d.setString(2, "US|Maker|M" + m + "|1.0");
                    d.setTimestamp(3, Timestamp.from(base));
                    d.setTimestamp(4, Timestamp.from(base));
                    d.executeUpdate();
                }
            }
            try (PreparedStatement f = c.prepareStatement("insert into haven_file (file_id, board, size_bytes, received_at, modality, manufacturer, model,"
                    + " device_signature, signature_id) values (?, ?, 1000, ?, 'US', 'Maker', ?, ?, ?)");
                 PreparedStatement o = c.prepareStatement("insert into file_outcome (file_id, outcome, reason, detail, location, decided_at, node)"
                     + " values (?, 'quarantined', ?, 'held', ?, ?, 'n')")) {
                for (int i = 0; i < N; i++) {
                    String id = String.format("%064x", (long) i * 2654435761L);
                    Timestamp at = Timestamp.from(base.plusSeconds(i / 3)); // ties on decided_at exercise the file_id tie-break
                    String model = "M" + (i % 40);
                    f.setString(1, id);
                    f.setString(2, BOARDS[i % BOARDS.length]);
                    f.setTimestamp(3, at);
                    f.setString(4, model);
                    f.setString(5, "US|Maker|" + model + "|1.0");
                    f.setString(6, sha256("US|Maker|" + model + "|1.0"));
                    f.addBatch();
                    o.setString(1, id);
                    o.setString(2, REASONS[i % REASONS.length]);
                    o.setString(3, REASONS[i % REASONS.length] + "/" + id + ".dcm");
                    o.setTimestamp(4, at);
                    o.addBatch();
                    if (i % 5000 == 4999) {
                        f.executeBatch();
                        o.executeBatch();
                    }
                }
                f.executeBatch();
                o.executeBatch();
            }
            try (Statement st = c.createStatement()) { // counted once, as V4_21 does for an archive it finds
                st.executeUpdate("insert into fate_count (outcome, reason, signature_id, board, files)"
                    + " select o.outcome, coalesce(o.reason, ''), coalesce(f.signature_id, ''), f.board, count(*)"
                    + " from file_outcome o join haven_file f on f.file_id = o.file_id"
                    + " group by o.outcome, coalesce(o.reason, ''), coalesce(f.signature_id, ''), f.board");
            }
            c.commit();
        }
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}

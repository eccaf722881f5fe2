package org.haven.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.haven.store.FateCounts;
import org.haven.store.Store;

/**
 * The quarantine queue: held files, newest first, filtered by reason, board, device signature and date (UTC days,
 * inclusive), paged by keyset on (decided_at, file_id) so a page costs the same at row 100,000 as at row 1
 * (indexes {@code file_outcome_queue}, {@code file_outcome_reason_queue} in V3).
 */
public final class Queue {
    private final Store store;
    private volatile Boolean h2;

    public Queue(Store store) { this.store = store; }

    /** H2's planner picks the (outcome, reason) index and sorts; name the paging index for it (PostgreSQL picks it itself). */
    private String from(Filter f) throws SQLException {
        if (h2 == null) {
            try (Connection c = store.connection()) {
                h2 = c.getMetaData().getDatabaseProductName().toLowerCase().contains("h2");
            }
        }
        return table(f, h2);
    }

    static String table(Filter f, boolean h2) {
        String hint = !h2 ? "" : f.reason() != null ? " use index (file_outcome_reason_queue)" : " use index (file_outcome_queue)";
        return " from file_outcome o" + hint + " join haven_file f on f.file_id = o.file_id";
    }

    public record Filter(String reason, String board, String device, LocalDate from, LocalDate to) {
        public static Filter of(Map<String, String> q) {
            return new Filter(blank(q.get("reason")), blank(q.get("board")), blank(q.get("device")), date(q.get("from")), date(q.get("to")));
        }

        private static String blank(String s) { return s == null || s.isBlank() ? null : s; }

        private static LocalDate date(String s) {
            if (s == null || s.isBlank()) return null;
            try {
                return LocalDate.parse(s.trim());
            } catch (RuntimeException e) {
                throw new WebException(400, "dates are YYYY-MM-DD");
            }
        }
    }

    public record Item(String fileId, String reason, String detail, Instant decidedAt, String board, String modality,
                       String manufacturer, String model, String deviceSignature, String deviceId, String profile) {}

    public record Page(List<Item> items, String next) {}

    private static final String COLUMNS = "o.file_id, o.reason, o.detail, o.decided_at, f.board, f.modality, f.manufacturer, f.model,"
        + " f.device_signature, f.device_id, f.profile";

    /** One page after {@code cursor} (null: the first page); {@code next} is null on the last page. */
    public Page page(Filter filter, String cursor, int limit) throws SQLException {
        limit = Math.max(1, Math.min(limit, 500));
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(from(filter));
        where(sql, args, filter);
        if (cursor != null && !cursor.isBlank()) {
            int bar = cursor.indexOf('|');
            if (bar < 0) throw new WebException(400, "bad cursor");
            Timestamp at;
            try {
                at = Timestamp.from(Instant.parse(cursor.substring(0, bar)));
            } catch (RuntimeException e) {
                throw new WebException(400, "bad cursor");
            }
            sql.append(" and (o.decided_at, o.file_id) < (?, ?)");
            args.add(at);
            args.add(cursor.substring(bar + 1));
        }
        sql.append(" order by o.decided_at desc, o.file_id desc limit ?");
        args.add(limit + 1);
        List<Item> items = new ArrayList<>();
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) items.add(item(rs));
            }
        }
        String next = null;
        if (items.size() > limit) {
            items.remove(items.size() - 1);
            Item last = items.get(items.size() - 1);
            next = last.decidedAt() + "|" + last.fileId();
        }
        return new Page(items, next);
    }

    /** Every held file id matching the filter (bulk actions), at most {@code max}. */
    public List<String> fileIds(Filter filter, int max) throws SQLException {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select o.file_id").append(from(filter));
        where(sql, args, filter);
        sql.append(" order by o.decided_at desc, o.file_id desc limit ?");
        args.add(max);
        List<String> ids = new ArrayList<>();
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /**
     * Counts of held files matching the filter: total, by reason, by board, by device signature (top 100). Without
     * dates, from the kept fate counts ({@link FateCounts}: what a reviewer sees first costs the number of devices,
     * boards and reasons, not the number of held files); a date range counts the held files decided in it.
     */
    public Map<String, Object> counts(Filter filter) throws SQLException {
        if (filter.from() == null && filter.to() == null) return keptCounts(filter);
        Map<String, Object> out = new LinkedHashMap<>();
        long total = 0;
        Map<String, Long> byReason = group("o.reason", filter);
        for (long n : byReason.values()) total += n;
        out.put("total", total);
        out.put("byReason", byReason);
        out.put("byBoard", group("f.board", filter));
        out.put("byDevice", group("f.device_signature", filter));
        return out;
    }

    private Map<String, Object> keptCounts(Filter filter) throws SQLException {
        Map<String, Long> byReason = new HashMap<>(), byBoard = new HashMap<>(), byDevice = new HashMap<>();
        long total = 0;
        try (Connection c = store.connection()) {
            Map<String, String> signatures = new HashMap<>(); // signature id → signature
            try (PreparedStatement ps = c.prepareStatement("select signature_id, signature from device_seen"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) signatures.put(rs.getString(1), rs.getString(2));
            }
            for (FateCounts.Count n : FateCounts.all(c)) {
                String device = n.signatureId().isEmpty() ? null : signatures.getOrDefault(n.signatureId(), n.signatureId());
                if (!n.outcome().equals("quarantined") || filter.reason() != null && !filter.reason().equals(n.reason())
                        || filter.board() != null && !filter.board().equals(n.board()) || filter.device() != null && !filter.device().equals(device)) {
                    continue;
                }
                total += n.files();
                byReason.merge(n.reason().isEmpty() ? "(none)" : n.reason(), n.files(), Long::sum);
                byBoard.merge(n.board(), n.files(), Long::sum);
                byDevice.merge(device == null ? "(none)" : device, n.files(), Long::sum);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("byReason", top(byReason));
        out.put("byBoard", top(byBoard));
        out.put("byDevice", top(byDevice));
        return out;
    }

    /** The 100 largest, largest first (as the counting query orders and limits them). */
    private static Map<String, Long> top(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .limit(100).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private Map<String, Long> group(String column, Filter filter) throws SQLException {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select ").append(column).append(", count(*) from file_outcome o join haven_file f on f.file_id = o.file_id");
        where(sql, args, filter);
        sql.append(" group by ").append(column).append(" order by count(*) desc limit 100");
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1) == null ? "(none)" : rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    static void where(StringBuilder sql, List<Object> args, Filter f) {
        sql.append(" where o.outcome = 'quarantined'");
        if (f.reason() != null) { sql.append(" and o.reason = ?"); args.add(f.reason()); }
        if (f.board() != null) { sql.append(" and f.board = ?"); args.add(f.board()); }
        if (f.device() != null) { sql.append(" and f.device_signature = ?"); args.add(f.device()); }
        if (f.from() != null) { sql.append(" and o.decided_at >= ?"); args.add(Timestamp.from(f.from().atStartOfDay().toInstant(ZoneOffset.UTC))); }
        if (f.to() != null) { sql.append(" and o.decided_at < ?"); args.add(Timestamp.from(f.to().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))); }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Timestamp t) ps.setTimestamp(i + 1, t);
            else if (a instanceof Integer n) ps.setInt(i + 1, n);
            else ps.setString(i + 1, (String) a);
        }
    }

    private static Item item(ResultSet rs) throws SQLException {
        return new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6),
            rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11));
    }

    /** The SQL of a first page (tests print its plan). */
    static String firstPageSql(Filter f, boolean h2) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(table(f, h2));
        where(sql, args, f);
        return sql.append(" order by o.decided_at desc, o.file_id desc limit 51").toString();
    }
}

package org.haven.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's side of operations (org.haven.ops): outcome counts, files in flight with their audit trail's last
 * steps, and the audit rows of an operator's resubmission. File ids and event names only; no identifying values.
 */
public final class OperationsRecords {
    private final Store store;

    public OperationsRecords(Store store) { this.store = store; }

    /** Files per (outcome, reason); reason is "" when the outcome has none (released). */
    public record FateCount(String fate, String reason, long files) {}

    /** From the kept counts ({@link FateCounts}), not a count of the archive. */
    public List<FateCount> fateCounts() throws SQLException {
        Map<List<String>, Long> sums = new LinkedHashMap<>(); // FateCounts.all is ordered by outcome, reason
        try (Connection c = store.connection()) {
            for (FateCounts.Count n : FateCounts.all(c)) sums.merge(List.of(n.outcome(), n.reason()), n.files(), Long::sum);
        }
        List<FateCount> out = new ArrayList<>();
        sums.forEach((k, n) -> out.add(new FateCount(k.get(0), k.get(1), n)));
        return out;
    }

    /** Files received with no outcome yet (the files in flight, not a scan of the archive: {@code file_in_flight}). */
    public long inFlightCount() throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from file_in_flight");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public record Event(String event, Instant at, String actor) {}

    /** One file in flight: its board, when it was received and its audit events, oldest first. */
    public record InFlight(String fileId, String board, Instant receivedAt, List<Event> events) {}

    /** The {@code limit} oldest files in flight with their events (two queries, whatever the number of files). */
    public List<InFlight> inFlight(int limit) throws SQLException {
        Map<String, InFlight> files = new LinkedHashMap<>();
        try (Connection c = store.connection()) {
            try (PreparedStatement ps = c.prepareStatement("select i.file_id, f.board, i.received_at from file_in_flight i"
                    + " join haven_file f on f.file_id = i.file_id order by i.received_at, i.file_id limit ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        files.put(rs.getString(1), new InFlight(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), new ArrayList<>()));
                    }
                }
            }
            if (files.isEmpty()) return List.of();
            String marks = String.join(",", java.util.Collections.nCopies(files.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(
                    "select file_id, event, at, actor from file_event where file_id in (" + marks + ") order by id")) {
                int i = 1;
                for (String id : files.keySet()) ps.setString(i++, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        files.get(rs.getString(1)).events().add(new Event(rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)));
                    }
                }
            }
        }
        return new ArrayList<>(files.values());
    }

    /** One file, if it is in flight (received, no outcome), with its events. */
    public Optional<InFlight> inFlight(String fileId) throws SQLException {
        InFlight f;
        try (Connection c = store.connection()) {
            try (PreparedStatement ps = c.prepareStatement("select f.board, f.received_at from haven_file f"
                    + " left join file_outcome o on o.file_id = f.file_id where f.file_id = ? and o.file_id is null")) {
                ps.setString(1, fileId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    f = new InFlight(fileId, rs.getString(1), rs.getTimestamp(2).toInstant(), new ArrayList<>());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select event, at, actor from file_event where file_id = ? order by id")) {
                ps.setString(1, fileId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) f.events().add(new Event(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3)));
                }
            }
        }
        return Optional.of(f);
    }

    /** Something that must happen inside the audit transaction (sending the message): if it throws, nothing is recorded. */
    public interface Step {
        void run() throws Exception;
    }

    /**
     * Records an operator's resubmission ({@code file_event} "resubmitted", and {@code review_decision} so it shows
     * on the audit page), runs {@code send} and commits; if {@code send} fails the audit rows are rolled back.
     */
    public void resubmitted(String fileId, String detail, String comment, String actor, Step send) throws Exception {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                FileRecords.insertEvent(c, fileId, "resubmitted", null, detail + ": " + comment, actor);
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into review_decision (file_id, action, target, comment, actor, at) values (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, fileId);
                    ps.setString(2, "resubmit");
                    ps.setString(3, detail.length() <= 1000 ? detail : detail.substring(0, 1000));
                    ps.setString(4, comment);
                    ps.setString(5, actor);
                    ps.setTimestamp(6, Timestamp.from(Instant.now()));
                    ps.executeUpdate();
                }
                send.run();
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }
}

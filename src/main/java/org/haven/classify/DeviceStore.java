package org.haven.classify;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.haven.store.FileRecords;
import org.haven.store.Store;

/**
 * The device tables (V2__devices.sql): every file's device facts, the devices seen with counts per board (unknown
 * devices registered automatically as {@code review}), the registry mirror, held files for replay and replay
 * requests. Insert-or-update is "insert; on SQLState 23505 roll back to a savepoint and update", which is safe when
 * two workers see a new device at the same moment, on H2 and PostgreSQL alike.
 */
public final class DeviceStore {
    /** Quarantine reasons that a device decision caused, and that trusting the device can undo. */
    public static final List<String> DEVICE_REASONS = List.of("unknown-device", "device-review", "device-blocked");

    private final Store store;
    /** The device rows a sighting writes, and what this node knows of them. */
    private final DeviceRows rows = new DeviceRows();

    public DeviceStore(Store store) { this.store = store; }

    public Store store() { return store; }

    /**
     * Records the device facts of a classified file and counts it towards its signature (once per file: a
     * redelivered or replayed file is not counted again). Unknown devices ({@code device} empty) are registered
     * as {@code review}. In a transaction of its own, retried on a transient failure: the pipeline writes the same
     * statements with the file's fate instead ({@link #sightedLater}); this is their standalone form, which
     * {@code DeviceStoreConcurrencyTest} drives from many threads and nodes.
     */
    public void sighted(String fileId, DeviceSignature s, Optional<DeviceRegistry.Device> device, String actor) throws SQLException {
        SQLException last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                sightedOnce(fileId, s, device, actor);
                return;
            } catch (SQLException e) {
                if (!transient_(e)) throw e;
                last = e;
                try {
                    Thread.sleep(20L * (attempt + 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    private void sightedOnce(String fileId, DeviceSignature s, Optional<DeviceRegistry.Device> device, String actor) throws SQLException {
        FileRecords.PendingRow sighting = sighting(fileId, null, s, device, actor);
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                sighting.write(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * {@link #sighted} with the classifier's {@code facts} and its {@code classified} event, held back to be written
     * with the file's fate ({@link FileRecords#rowLater}), or before it leaves for the OCR queue: no commit of its own. An
     * attempt rolled back leaves no sighting (the redelivery classifies the file again); a transient failure of the
     * fate's transaction (a lock wait) is retried with the whole journey (routes/errors.yaml).
     */
    public void sightedLater(org.apache.camel.Exchange exchange, String fileId, Map<String, String> facts, DeviceSignature s,
                             Optional<DeviceRegistry.Device> device, String actor) {
        FileRecords.rowLater(exchange, sighting(fileId, new java.util.HashMap<>(facts), s, device, actor)); // a copy: the caller's map may change
    }

    /** The statements of one sighting, in the caller's transaction. */
    FileRecords.PendingRow sighting(String fileId, Map<String, String> facts, DeviceSignature s,
                                            Optional<DeviceRegistry.Device> device, String actor) {
        String sid = s.id();
        String state = device.map(d -> d.state().label()).orElse(DeviceRegistry.State.REVIEW.label());
        String deviceId = device.map(DeviceRegistry.Device::id).orElse(null);
        String rule = device.map(DeviceRegistry.Device::rule).orElse(null);
        String pixels = device.map(DeviceRegistry.Device::pixels).filter(p -> !p.isEmpty()).orElse(null);
        Timestamp now = now();
        return c -> {
            String before;
            String board;
            // the file's row is locked by a no-op update, which H2 keeps parsed (it parses a "select ... for update"
            // at every call), so a concurrent delivery of the same file waits here and then reads what this one wrote
            try (PreparedStatement ps = c.prepareStatement("update haven_file set size_bytes = size_bytes where file_id = ?")) {
                ps.setString(1, fileId);
                if (ps.executeUpdate() != 1) throw notRecorded(fileId);
            }
            try (PreparedStatement ps = c.prepareStatement("select signature_id, board from haven_file where file_id = ?")) {
                ps.setString(1, fileId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw notRecorded(fileId);
                    before = rs.getString(1);
                    board = rs.getString(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(facts == null ? UPDATE_FILE : UPDATE_FILE_CLASSIFIED)) {
                int i = facts == null ? 1 : FileRecords.bindClassified(ps, 1, facts);
                ps.setString(i++, cut(s.manufacturerRaw(), 1000));
                ps.setString(i++, cut(s.modelRaw(), 1000));
                ps.setString(i++, cut(s.stationName(), 1000));
                ps.setString(i++, cut(s.imageSize(), 40));
                ps.setString(i++, cut(s.privateCreators(), 2000));
                ps.setString(i++, sid);
                ps.setString(i++, pixels);
                ps.setString(i, fileId);
                ps.executeUpdate();
            }
            boolean count = !sid.equals(before);
            rows.describe(c, s, sid, state, deviceId, rule, fileId, count, now);
            rows.spelling(c, sid, s);
            if (count) SightingCounts.count(c, sid, board, now);
            if (facts != null) FileRecords.insertEvent(c, fileId, "classified", null, facts.get("deviceSignature"), actor);
        };
    }

    private static SQLException notRecorded(String fileId) {
        // a foreign key's state: the store lost the file's record, which the fate's writer re-creates (FileRecords#isMissingParent)
        return new SQLException("file " + fileId.substring(0, Math.min(12, fileId.length())) + " is not recorded", "23503");
    }

    private static final String SIGHTED_COLUMNS = "manufacturer_raw = ?, model_raw = ?, station_name = ?, image_size = ?, private_creators = ?,"
        + " signature_id = ?, pixel_rule = ? where file_id = ?";
    private static final String UPDATE_FILE = "update haven_file set " + SIGHTED_COLUMNS;
    private static final String UPDATE_FILE_CLASSIFIED = "update haven_file set " + FileRecords.CLASSIFIED_COLUMNS + ", " + SIGHTED_COLUMNS;

    /** Writes the registry in force to {@code device_registry} (replacing what was there). */
    public void mirror(DeviceRegistry registry, String hash, String actor) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("delete from device_registry");
                }
                try (PreparedStatement ps = c.prepareStatement("insert into device_registry (device_id, position, state, profile, project,"
                        + " pixel_rule, rule, pattern, config_hash, loaded_at, loaded_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int pos = 0;
                    for (DeviceRegistry.Device d : registry.devices()) {
                        int i = 0;
                        ps.setString(++i, d.id());
                        ps.setInt(++i, ++pos);
                        ps.setString(++i, d.state().label());
                        ps.setString(++i, d.profile());
                        ps.setString(++i, d.project());
                        ps.setString(++i, d.pixels());
                        ps.setString(++i, cut(d.source(), 300));
                        ps.setString(++i, cut(d.patternText(), 2000));
                        ps.setString(++i, hash);
                        ps.setTimestamp(++i, now());
                        ps.setString(++i, actor);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A file held for a device reason, with the stored facts to match it again. */
    public record HeldFile(String fileId, String board, String reason, String location, DeviceSignature signature) {}

    /** Every file quarantined for a device reason, its signature rebuilt from the raw facts with {@code table}. */
    public List<HeldFile> heldForDevice(Manufacturers table) throws SQLException {
        List<HeldFile> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select f.file_id, f.board, o.reason, o.location, f.modality,"
                 + " coalesce(f.manufacturer_raw, f.manufacturer), coalesce(f.model_raw, f.model), f.software, f.station_name,"
                 + " f.private_creators, f.image_size, f.sop_class_uid, f.transfer_syntax from file_outcome o join haven_file f on f.file_id = o.file_id"
                 + " where o.outcome = 'quarantined' and o.reason in (?, ?, ?) order by o.decided_at, f.file_id")) {
            for (int i = 0; i < DEVICE_REASONS.size(); i++) ps.setString(i + 1, DEVICE_REASONS.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DeviceSignature s = DeviceSignature.of(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), "", "", table);
                    out.add(new HeldFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), s));
                }
            }
        }
        return out;
    }

    /** A file move that is part of a reopen, undone if the transaction fails. */
    public interface Move {
        void run() throws IOException;
    }

    /**
     * Takes a held file out of the quarantine for a new decision, in one transaction: the quarantined outcome is
     * deleted only if it is still the one we saw (so two nodes replaying at once reopen it once), a
     * {@code replayed} event records why, and {@code move} (quarantine → staging) runs before the commit; if the
     * commit fails, {@code undo} puts the file back. Returns false when another node got there first.
     */
    public boolean reopen(String fileId, String reason, String detail, String actor, Move move, Move undo) throws SQLException, IOException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            boolean moved = false;
            try {
                int n;
                try (PreparedStatement ps = c.prepareStatement("delete from file_outcome where file_id = ? and outcome = 'quarantined' and reason = ?")) {
                    ps.setString(1, fileId);
                    ps.setString(2, reason);
                    n = ps.executeUpdate();
                }
                if (n != 1) {
                    c.rollback();
                    return false;
                }
                org.haven.store.FateCounts.left(c, fileId, "quarantined", reason);
                FileRecords.enterFlight(c, fileId);
                FileRecords.insertEvent(c, fileId, "replayed", reason, detail, actor);
                move.run();
                moved = true;
                c.commit();
                return true;
            } catch (SQLException | IOException | RuntimeException e) {
                try {
                    c.rollback();
                } finally {
                    if (moved) undo.run();
                }
                throw e;
            }
        }
    }

    /**
     * Files reopened by a replay that have no outcome yet: after a crash between reopening and sending, send again.
     * Asked of the files in flight (start-up), not of the archive.
     */
    public List<String[]> reopenedWithoutOutcome() throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select f.file_id, f.board from file_in_flight i join haven_file f on f.file_id = i.file_id"
                 + " where exists (select 1 from file_event e where e.file_id = i.file_id and e.event = 'replayed')");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        return out;
    }

    public void event(String fileId, String event, String reason, String detail, String actor) throws SQLException {
        try (Connection c = store.connection()) {
            FileRecords.insertEvent(c, fileId, event, reason, detail, actor);
        }
    }

    // --- replay requests (./run.sh replay, review UI) ---

    public long requestReplay(String deviceId, String actor) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("insert into device_replay_request (device_id, requested_by, requested_at) values (?, ?, ?)",
                 new String[] {"id"})) {
            ps.setString(1, deviceId);
            ps.setString(2, actor);
            ps.setTimestamp(3, now());
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public record ReplayRequest(long id, String deviceId, String requestedBy, Instant doneAt, String doneBy, Integer files) {}

    public List<ReplayRequest> pendingRequests() throws SQLException {
        List<ReplayRequest> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select id, device_id, requested_by from device_replay_request where done_at is null order by id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new ReplayRequest(rs.getLong(1), rs.getString(2), rs.getString(3), null, null, null));
        }
        return out;
    }

    public Optional<ReplayRequest> request(long id) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select id, device_id, requested_by, done_at, done_by, files from device_replay_request where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                Timestamp done = rs.getTimestamp(4);
                int files = rs.getInt(6);
                return Optional.of(new ReplayRequest(rs.getLong(1), rs.getString(2), rs.getString(3), done == null ? null : done.toInstant(),
                    rs.getString(5), rs.wasNull() ? null : files));
            }
        }
    }

    /** Claims a pending request for this node; false when another node took it. */
    public boolean claimRequest(long id, String node) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("update device_replay_request set done_at = ?, done_by = ? where id = ? and done_at is null")) {
            ps.setTimestamp(1, now());
            ps.setString(2, node);
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    public void finishRequest(long id, int files) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("update device_replay_request set files = ?, done_at = ? where id = ?")) {
            ps.setInt(1, files);
            ps.setTimestamp(2, now());
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /** Serialization failures, deadlocks and lock timeouts: worth another try. */
    private static boolean transient_(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String st = s.getSQLState();
            if (st != null && (st.startsWith("40") || st.equals("HYT00") || st.equals("90131"))) return true;
        }
        return false;
    }

    static Timestamp now() { return Timestamp.from(Instant.now()); }

    static String cut(String s, int max) { return s == null || s.length() <= max ? s : s.substring(0, max); }
}

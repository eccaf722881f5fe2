package org.haven.classify;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    private static final int EXAMPLES = 3;

    private final Store store;
    /** Devices known to have their example file ids already (per node; only saves a read). */
    private final Set<String> fullExamples = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
            describeDevice(c, s, sid, state, deviceId, rule, fileId, count, now);
            spelling(c, sid, s);
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

    /**
     * Describes the device: its row is inserted at its first sighting and rewritten only when what it says changes
     * (its state, registry entry or rule at once; the latest raw spellings at most every {@link #RAW_REFRESH_MS}
     * per node: two scanners of one model alternate their station names). Read first, without a lock: every worker
     * on every node sighting one device would otherwise queue on its row until the holder's commit. Two workers
     * inserting the same new device at once meet on the primary key and the loser reads the winner's row.
     */
    private void describeDevice(Connection c, DeviceSignature s, String sid, String state, String deviceId, String rule,
                                String fileId, boolean count, Timestamp now) throws SQLException {
        Described seen = described(c, sid);
        if (seen == null) {
            Savepoint sp = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("insert into device_seen (signature_id, signature, modality, manufacturer,"
                    + " manufacturer_raw, model, model_raw, software, station_name, image_size, sop_class_uid, private_creators, state, device_id,"
                    + " device_rule, first_seen, last_seen, files, examples) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
                int i = 0;
                ps.setString(++i, sid);
                ps.setString(++i, cut(s.key(), 4000));
                ps.setString(++i, cut(s.modality(), 1000));
                ps.setString(++i, cut(s.manufacturer(), 1000));
                ps.setString(++i, cut(s.manufacturerRaw(), 1000));
                ps.setString(++i, cut(s.model(), 1000));
                ps.setString(++i, cut(s.modelRaw(), 1000));
                ps.setString(++i, cut(s.software(), 1000));
                ps.setString(++i, cut(s.stationName(), 1000));
                ps.setString(++i, cut(s.imageSize(), 40));
                ps.setString(++i, cut(s.sopClassUID(), 1000));
                ps.setString(++i, cut(s.privateCreators(), 2000));
                ps.setString(++i, state);
                ps.setString(++i, deviceId);
                ps.setString(++i, rule);
                ps.setTimestamp(++i, now);
                ps.setTimestamp(++i, now);
                ps.setString(++i, count ? fileId : null);
                ps.executeUpdate();
                c.releaseSavepoint(sp);
                return;
            } catch (SQLException e) {
                if (!Store.isDuplicateKey(e)) throw e;
                c.rollback(sp);
            }
            seen = described(c, sid); // another worker inserted it first
            if (seen == null) throw new SQLException("device_seen row vanished");
        }
        String raw = String.join("\u0000", nz(cut(s.manufacturerRaw(), 1000)), nz(cut(s.modelRaw(), 1000)), nz(cut(s.stationName(), 1000)),
            nz(cut(s.imageSize(), 40)), nz(cut(s.sopClassUID(), 1000)), nz(cut(s.privateCreators(), 2000)));
        boolean registryChanged = !state.equals(seen.state()) || !java.util.Objects.equals(deviceId, seen.deviceId())
            || !java.util.Objects.equals(rule, seen.rule());
        if (registryChanged || !raw.equals(seen.raw()) && rawDue(sid)) updateDevice(c, s, sid, state, deviceId, rule);
        if (count && !fullExamples.contains(sid)) addExample(c, sid, fileId, seen.examples());
    }

    /** Spellings this node has read in {@code device_spelling} (committed, so they stay there). */
    private final Set<String> knownSpellings = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Records a raw manufacturer and model spelling the device has not been seen with (no statement once this node knows it). */
    private void spelling(Connection c, String sid, DeviceSignature s) throws SQLException {
        String maker = nz(cut(s.manufacturerRaw(), 200)), model = nz(cut(s.modelRaw(), 200));
        String key = sid + '\u0000' + maker + '\u0000' + model;
        if (knownSpellings.contains(key)) return;
        try (PreparedStatement ps = c.prepareStatement("select 1 from device_spelling where signature_id = ? and manufacturer_raw = ? and model_raw = ?")) {
            ps.setString(1, sid);
            ps.setString(2, maker);
            ps.setString(3, model);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (knownSpellings.size() < 100_000) knownSpellings.add(key);
                    return;
                }
            }
        }
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("insert into device_spelling (signature_id, manufacturer_raw, model_raw) values (?, ?, ?)")) {
            ps.setString(1, sid);
            ps.setString(2, maker);
            ps.setString(3, model);
            ps.executeUpdate();
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            if (!Store.isDuplicateKey(e)) throw e;
            c.rollback(sp); // another worker recorded it first
        }
    }

    /** How long a node leaves a device's latest raw spellings unwritten when only they changed. */
    static final long RAW_REFRESH_MS = 10_000;
    /** When this node last wrote a device's raw spellings (per node; losing an entry only costs a write). */
    private final Map<String, Long> rawWritten = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean rawDue(String sid) {
        long now = System.currentTimeMillis();
        Long last = rawWritten.get(sid);
        if (last != null && now - last < RAW_REFRESH_MS) return false;
        rawWritten.put(sid, now);
        return true;
    }

    /** What a device's row says: its registry state and the latest raw spellings (joined), and its examples. */
    private record Described(String state, String deviceId, String rule, String raw, String examples) {}

    private static Described described(Connection c, String sid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select state, device_id, device_rule, manufacturer_raw, model_raw, station_name,"
                + " image_size, sop_class_uid, private_creators, examples from device_seen where signature_id = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                String raw = String.join("\u0000", nz(rs.getString(4)), nz(rs.getString(5)), nz(rs.getString(6)), nz(rs.getString(7)),
                    nz(rs.getString(8)), nz(rs.getString(9)));
                return new Described(rs.getString(1), rs.getString(2), rs.getString(3), raw, rs.getString(10));
            }
        }
    }

    private static void updateDevice(Connection c, DeviceSignature s, String sid, String state, String deviceId, String rule) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update device_seen set state = ?, device_id = ?, device_rule = ?, manufacturer_raw = ?,"
                + " model_raw = ?, station_name = ?, image_size = ?, sop_class_uid = ?, private_creators = ? where signature_id = ?")) {
            int i = 0;
            ps.setString(++i, state);
            ps.setString(++i, deviceId);
            ps.setString(++i, rule);
            ps.setString(++i, cut(s.manufacturerRaw(), 1000));
            ps.setString(++i, cut(s.modelRaw(), 1000));
            ps.setString(++i, cut(s.stationName(), 1000));
            ps.setString(++i, cut(s.imageSize(), 40));
            ps.setString(++i, cut(s.sopClassUID(), 1000));
            ps.setString(++i, cut(s.privateCreators(), 2000));
            ps.setString(++i, sid);
            ps.executeUpdate();
        }
    }

    /** Keeps a few example file ids per device; once a device has its examples this node stops looking. */
    private void addExample(Connection c, String sid, String fileId, String examples) throws SQLException {
        Set<String> ex = new LinkedHashSet<>(examples == null || examples.isEmpty() ? List.of() : Arrays.asList(examples.split(",")));
        if (ex.size() >= EXAMPLES || ex.contains(fileId)) {
            if (ex.size() >= EXAMPLES) fullExamples.add(sid);
            return;
        }
        ex.add(fileId);
        // compared with what was read: a worker that added an example meanwhile wins, this file is not an example
        try (PreparedStatement ps = c.prepareStatement("update device_seen set examples = ? where signature_id = ? and coalesce(examples, '') = ?")) {
            ps.setString(1, String.join(",", ex));
            ps.setString(2, sid);
            ps.setString(3, examples == null ? "" : examples);
            ps.executeUpdate();
        }
    }

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

    private static String nz(String s) { return s == null ? "" : s; }

    static String cut(String s, int max) { return s == null || s.length() <= max ? s : s.substring(0, max); }
}

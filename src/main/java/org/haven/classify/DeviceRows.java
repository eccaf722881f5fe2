package org.haven.classify;

import static org.haven.classify.DeviceStore.cut;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.haven.store.Store;

/**
 * The rows a sighting writes about its device, in the sighting's transaction: {@code device_seen} (inserted once,
 * rewritten only when it would say something else), its example files and {@code device_spelling}. Each is read before
 * it is written, without a lock, so files of one device on many workers do not queue on a row; what this node has
 * read and need not read again is kept here.
 */
final class DeviceRows {
    private static final int EXAMPLES = 3;

    /** Devices known to have their example file ids already (per node; only saves a read). */
    private final Set<String> fullExamples = ConcurrentHashMap.newKeySet();

    /**
     * Describes the device: its row is inserted at its first sighting and rewritten only when what it says changes
     * (its state, registry entry or rule at once; the latest raw spellings at most every {@link #RAW_REFRESH_MS}
     * per node: two scanners of one model alternate their station names). Read first, without a lock: every worker
     * on every node sighting one device would otherwise queue on its row until the holder's commit. Two workers
     * inserting the same new device at once meet on the primary key and the loser reads the winner's row.
     */
    void describe(Connection c, DeviceSignature s, String sid, String state, String deviceId, String rule,
                                String fileId, boolean count, Timestamp now) throws SQLException {
        Described seen = described(c, sid);
        // not there yet: a worker may have inserted it without committing, which H2 makes an update wait for (an
        // insert fails at once there); PostgreSQL's update finds no row and its insert waits instead
        if (seen == null && updateDevice(c, s, sid, state, deviceId, rule) == 1) seen = described(c, sid);
        if (seen == null) {
            Savepoint sp = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("insert into device_seen (signature_id, signature, modality, manufacturer,"
                    + " model, software, " + RAW_COLUMNS + ", state, device_id,"
                    + " device_rule, first_seen, last_seen, files, examples) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
                int i = 0;
                ps.setString(++i, sid);
                ps.setString(++i, cut(s.key(), 4000));
                ps.setString(++i, cut(s.modality(), 1000));
                ps.setString(++i, cut(s.manufacturer(), 1000));
                ps.setString(++i, cut(s.model(), 1000));
                ps.setString(++i, cut(s.software(), 1000));
                i = bind(ps, i, raw(s));
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
            updateDevice(c, s, sid, state, deviceId, rule); // another worker inserted it first (its commit waited for)
            seen = described(c, sid);
            if (seen == null) throw new SQLException("device_seen row not committed by the worker that inserted it", "40001"); // retried
        }
        String raw = joined(raw(s));
        boolean registryChanged = !state.equals(seen.state()) || !Objects.equals(deviceId, seen.deviceId())
            || !Objects.equals(rule, seen.rule());
        if (registryChanged || !raw.equals(seen.raw()) && rawDue(sid)) updateDevice(c, s, sid, state, deviceId, rule);
        if (count && !fullExamples.contains(sid)) addExample(c, sid, fileId, seen.examples());
    }

    /** Spellings this node has read in {@code device_spelling} (committed, so they stay there). */
    private final Set<String> knownSpellings = ConcurrentHashMap.newKeySet();

    /** Records a raw manufacturer and model spelling the device has not been seen with (no statement once this node knows it). */
    void spelling(Connection c, String sid, DeviceSignature s) throws SQLException {
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
    private final Map<String, Long> rawWritten = new ConcurrentHashMap<>();

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
        try (PreparedStatement ps = c.prepareStatement("select state, device_id, device_rule, examples, " + RAW_COLUMNS
                + " from device_seen where signature_id = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                List<String> raw = new ArrayList<>(RAW.size());
                for (int i = 5; i < 5 + RAW.size(); i++) raw.add(rs.getString(i));
                return new Described(rs.getString(1), rs.getString(2), rs.getString(3), joined(raw), rs.getString(4));
            }
        }
    }

    private static int updateDevice(Connection c, DeviceSignature s, String sid, String state, String deviceId, String rule) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update device_seen set state = ?, device_id = ?, device_rule = ?, ("
                + RAW_COLUMNS + ") = (" + RAW_PARAMETERS + ") where signature_id = ?")) {
            int i = 0;
            ps.setString(++i, state);
            ps.setString(++i, deviceId);
            ps.setString(++i, rule);
            i = bind(ps, i, raw(s));
            ps.setString(++i, sid);
            return ps.executeUpdate();
        }
    }

    /** Keeps a few example file ids per device; once a device has its examples this node stops looking. */
    private void addExample(Connection c, String sid, String fileId, String examples) throws SQLException {
        // compared with what was read: when a worker added an example meanwhile (its update waited for that worker's
        // commit, only while the device has fewer than EXAMPLES), read again and try once more
        for (int attempt = 0; attempt <= EXAMPLES; attempt++) {
            Set<String> ex = new LinkedHashSet<>(examples == null || examples.isEmpty() ? List.of() : Arrays.asList(examples.split(",")));
            if (ex.size() >= EXAMPLES || ex.contains(fileId)) {
                if (ex.size() >= EXAMPLES) fullExamples.add(sid);
                return;
            }
            ex.add(fileId);
            try (PreparedStatement ps = c.prepareStatement("update device_seen set examples = ? where signature_id = ? and coalesce(examples, '') = ?")) {
                ps.setString(1, String.join(",", ex));
                ps.setString(2, sid);
                ps.setString(3, examples == null ? "" : examples);
                if (ps.executeUpdate() == 1) return;
            }
            try (PreparedStatement ps = c.prepareStatement("select examples from device_seen where signature_id = ?")) {
                ps.setString(1, sid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new SQLException("device_seen row vanished");
                    examples = rs.getString(1);
                }
            }
        }
    }

    private static String nz(String s) { return s == null ? "" : s; }

    /** The columns that keep the latest raw spellings of a device, in the order of {@link #raw}. */
    private static final List<String> RAW = List.of("manufacturer_raw", "model_raw", "station_name", "image_size", "sop_class_uid",
        "private_creators");
    private static final String RAW_COLUMNS = String.join(", ", RAW);
    private static final String RAW_PARAMETERS = String.join(", ", java.util.Collections.nCopies(RAW.size(), "?"));

    /** A sighting's values for {@link #RAW_COLUMNS}, cut to the columns' sizes. */
    private static List<String> raw(DeviceSignature s) {
        return Arrays.asList(cut(s.manufacturerRaw(), 1000), cut(s.modelRaw(), 1000), cut(s.stationName(), 1000),
            cut(s.imageSize(), 40), cut(s.sopClassUID(), 1000), cut(s.privateCreators(), 2000));
    }

    /** Raw values as one comparable string (null as empty), for "did they change". */
    private static String joined(List<String> raw) {
        return String.join("\u0000", raw.stream().map(DeviceRows::nz).toList());
    }

    private static int bind(PreparedStatement ps, int i, List<String> values) throws SQLException {
        for (String v : values) ps.setString(++i, v);
        return i;
    }
}

package org.haven.classify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.haven.store.FateCounts;

/**
 * What the review UI and {@code ./run.sh devices} show: every device signature seen, its state under the registry
 * in force, files seen / released / held per board, and the fraction of the archive trusting it would unlock
 * (its files held for a device reason ÷ all held files).
 */
public final class DeviceReport {
    public record BoardCounts(String board, long seen, long released, long held) {}

    /**
     * @param state       under the registry in force: trusted, review or blocked ("review" also for unknown devices)
     * @param deviceId    the registry entry that matches, null for an automatically registered (unknown) device
     * @param unlockable  held files (unknown-device, device-review, device-blocked) that trusting it would release
     * @param unlocks     unlockable ÷ all held files (0 when nothing is held)
     */
    public record DeviceRow(String signatureId, String signature, String modality, String manufacturer, List<String> manufacturerRaw,
                            String model, List<String> modelRaw, String software, String state, String deviceId, String rule,
                            String firstSeen, String lastSeen, long seen, long released, long held, long unlockable, double unlocks,
                            List<BoardCounts> boards, List<String> examples) {}

    private DeviceReport() {}

    public static List<DeviceRow> report(DeviceStore store, DeviceRegistries registries) throws SQLException {
        DeviceRegistries.Snapshot snap = registries.current();
        Map<String, Map<String, long[]>> boards = new TreeMap<>(); // signature → board → seen, released, held
        Map<String, Long> unlockable = new LinkedHashMap<>();
        Map<String, Set<String>> makers = new LinkedHashMap<>();
        Map<String, Set<String>> models = new LinkedHashMap<>();
        long allHeld;
        List<DeviceRow> out = new ArrayList<>();
        try (Connection c = store.store().connection()) {
            for (Map.Entry<String, Map<String, Long>> s : SightingCounts.byBoard(c).entrySet()) {
                for (Map.Entry<String, Long> b : s.getValue().entrySet()) counts(boards, s.getKey(), b.getKey())[0] += b.getValue();
            }
            allHeld = 0;
            for (FateCounts.Count f : FateCounts.all(c)) { // kept counts, not a count of the archive
                if (f.outcome().equals("quarantined")) allHeld += f.files();
                if (f.signatureId().isEmpty()) continue;
                long[] n = counts(boards, f.signatureId(), f.board());
                if (f.outcome().equals("released")) n[1] += f.files();
                if (f.outcome().equals("quarantined")) {
                    n[2] += f.files();
                    if (DeviceStore.DEVICE_REASONS.contains(f.reason())) unlockable.merge(f.signatureId(), f.files(), Long::sum);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select signature_id, manufacturer_raw, model_raw from device_spelling"
                    + " order by signature_id, manufacturer_raw, model_raw");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    makers.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>()).add(nz(rs.getString(2)));
                    models.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>()).add(nz(rs.getString(3)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select signature_id, signature, modality, manufacturer, manufacturer_raw, model,"
                    + " model_raw, software, station_name, private_creators, image_size, sop_class_uid, first_seen, last_seen, examples"
                    + " from device_seen order by modality, manufacturer, model, software");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sid = rs.getString(1);
                    DeviceSignature s = DeviceSignature.of(rs.getString(3), rs.getString(5), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), "", "", "", snap.manufacturers());
                    Optional<DeviceRegistry.Device> d = snap.devices().match(s);
                    List<BoardCounts> perBoard = new ArrayList<>();
                    long seen = 0, released = 0, held = 0;
                    for (Map.Entry<String, long[]> b : boards.getOrDefault(sid, Map.of()).entrySet()) {
                        long[] n = b.getValue();
                        perBoard.add(new BoardCounts(b.getKey(), n[0], n[1], n[2]));
                        seen += n[0];
                        released += n[1];
                        held += n[2];
                    }
                    long unlock = unlockable.getOrDefault(sid, 0L);
                    String ex = rs.getString(15);
                    out.add(new DeviceRow(sid, rs.getString(2), rs.getString(3), rs.getString(4), List.copyOf(makers.getOrDefault(sid, Set.of())),
                        rs.getString(6), List.copyOf(models.getOrDefault(sid, Set.of())), rs.getString(8),
                        d.map(x -> x.state().label()).orElse(DeviceRegistry.State.REVIEW.label()), d.map(DeviceRegistry.Device::id).orElse(null),
                        d.map(DeviceRegistry.Device::rule).orElse(null), rs.getTimestamp(13).toInstant().toString(),
                        rs.getTimestamp(14).toInstant().toString(), seen, released, held, unlock, allHeld == 0 ? 0 : (double) unlock / allHeld,
                        perBoard, ex == null || ex.isEmpty() ? List.of() : List.of(ex.split(","))));
                }
            }
        }
        return out;
    }

    private static long[] counts(Map<String, Map<String, long[]>> boards, String sid, String board) {
        return boards.computeIfAbsent(sid, k -> new TreeMap<>()).computeIfAbsent(board, k -> new long[3]);
    }

    private static String nz(String s) { return s == null ? "" : s; }
}

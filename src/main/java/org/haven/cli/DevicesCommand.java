package org.haven.cli;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.haven.app.Settings;
import org.haven.classify.DeviceRegistries;
import org.haven.classify.DeviceReport;
import org.haven.classify.DeviceStore;
import org.haven.deidentify.ProfileRegistry;
import org.haven.store.Store;

/**
 * {@code ./run.sh devices [--json]}: every device signature seen, its state under config/devices.yaml, files seen /
 * released / held per board, and the share of all held files that trusting it would release. Device facts only,
 * no patient values.
 */
public final class DevicesCommand implements Command {
    @Override
    public int run(List<String> args) throws Exception {
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) json = true;
            else throw new UsageException("unknown option " + a);
        }
        Settings settings = CommandContext.settings();
        DeviceRegistries registries = DeviceRegistries.load(settings.path("haven.devices"),
            settings.path("haven.config").resolve("manufacturers.yaml"), ProfileRegistry.load(settings.path("haven.profiles")).names());
        try (Store store = CommandContext.openStore(settings)) {
            List<DeviceReport.DeviceRow> rows = DeviceReport.report(new DeviceStore(store), registries);
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            } else {
                System.out.print(table(rows));
            }
        }
        return 0;
    }

    static String table(List<DeviceReport.DeviceRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-12s %-8s %-40s %-8s %-22s %7s %8s %6s %8s%n", "signature", "state", "modality|manufacturer|model|software",
            "device", "board", "seen", "released", "held", "unlocks"));
        for (DeviceReport.DeviceRow r : rows) {
            sb.append(String.format("%-12s %-8s %-40s %-8s %-22s %7d %8d %6d %7.1f%%%n", r.signatureId().substring(0, 12), r.state(),
                cut(r.signature(), 40), r.deviceId() == null ? "(new)" : cut(r.deviceId(), 8), "all", r.seen(), r.released(), r.held(),
                100 * r.unlocks()));
            sb.append(String.format("%-12s %-8s   raw: %s / %s%n", "", "", String.join(" | ", r.manufacturerRaw()), String.join(" | ", r.modelRaw())));
            if (r.rule() != null) sb.append(String.format("%-12s %-8s   rule: %s%n", "", "", r.rule()));
            for (DeviceReport.BoardCounts b : r.boards()) {
                sb.append(String.format("%-12s %-8s %-40s %-8s %-22s %7d %8d %6d%n", "", "", "", "", cut(b.board(), 22), b.seen(), b.released(), b.held()));
            }
        }
        sb.append(rows.size()).append(" device signatures\n");
        return sb.toString();
    }

    private static String cut(String s, int n) { return s == null ? "" : s.length() <= n ? s : s.substring(0, n - 1) + "~"; }
}

package org.haven.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.haven.app.Haven;
import org.haven.app.Settings;

/** {@code ./run.sh} — runs a Haven node until stopped. */
public final class RunCommand implements Command {
    @Override
    public int run(List<String> args) throws Exception {
        if (!args.isEmpty()) throw new UsageException("run takes no arguments; settings come from config/haven.properties and HAVEN_* variables");
        Settings settings = Settings.load(Path.of("config/haven.properties"), System.getenv(),
            Map.of("haven.web.enabled", System.getenv().getOrDefault("HAVEN_WEB_ENABLED", "true"), // the review UI runs with the service
                "haven.ops.metrics.enabled", System.getenv().getOrDefault("HAVEN_OPS_METRICS_ENABLED", "true"))); // and /metrics
        Haven haven = new Haven(settings).start();
        System.err.println("Haven is running. Drop DICOM into " + settings.path("haven.inbox").toAbsolutePath() + "/<board>/ ; Ctrl-C stops.");
        if (haven.receiver() != null) {
            System.err.println("DICOM: AE title " + settings.get("haven.dicom.ae-title") + " on port " + haven.receiver().port()
                + " for the boards in " + settings.get("haven.boards"));
        }
        if (settings.getBoolean("haven.web.enabled")) {
            System.err.println("Quarantine review: http://" + settings.get("haven.web.bind") + ":" + settings.get("haven.web.port")
                + "/  (create a user first: ./run.sh user add NAME --role admin)");
        }
        if (haven.metrics() != null) {
            System.err.println("Metrics: http://" + settings.get("haven.ops.metrics.bind") + ":" + haven.metrics().port() + "/metrics ; status: ./run.sh status");
        }
        haven.awaitShutdown();
        return 0;
    }
}

package org.haven.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.haven.app.Haven;
import org.haven.app.Settings;
import org.haven.store.FileRecords;

/**
 * {@code ./run.sh deidentify IN_DIR OUT_DIR [--profile P] [--project P] [--board B]}: processes a folder once through
 * the same routes, stages and store as the service, in process ({@link BatchRun}: worker threads, no broker), writes
 * OUT_DIR/release and OUT_DIR/quarantine, prints a summary and exits non-zero on internal failure.
 */
public final class DeidentifyCommand implements Command {
    @Override
    public int run(List<String> args) throws Exception {
        List<String> positional = new ArrayList<>();
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (i + 1 >= args.size()) throw new UsageException(a + " needs a value");
                opts.put(a.substring(2), args.get(++i));
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 2) throw new UsageException("expected IN_DIR and OUT_DIR");
        Path in = Path.of(positional.get(0));
        Path out = Path.of(positional.get(1));
        if (!Files.isDirectory(in)) throw new UsageException(in + " is not a folder");

        Map<String, String> overrides = new LinkedHashMap<>();
        // The service's key and a store of this run's own under the service's workspace: never inside OUT (which is
        // handed to researchers), never a key made up for this run (same key, same input -> the same release as the
        // service's, byte for byte).
        Settings service = CommandContext.settings();
        Path outAbs = out.toAbsolutePath().normalize();
        String keySource;
        if (!service.get("haven.secret.key").isEmpty()) {
            keySource = "HAVEN_SECRET_KEY (environment)";
        } else {
            Path keyFile = service.path("haven.secret.key-file").toAbsolutePath().normalize();
            if (keyFile.startsWith(outAbs)) throw new UsageException("the key file " + keyFile + " is inside OUT_DIR: choose another OUT_DIR");
            overrides.put("haven.secret.key-file", keyFile.toString());
            keySource = keyFile + (Files.exists(keyFile) ? "" : " (created now; the service uses the same file)");
        }
        String runId = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + ProcessHandle.current().pid();
        Path work = service.path("haven.workspace").toAbsolutePath().normalize().resolve("batch").resolve(runId);
        if (work.startsWith(outAbs)) throw new UsageException("OUT_DIR contains Haven's workspace " + work.getParent() + ": choose another OUT_DIR");
        boolean freshStore = System.getenv("HAVEN_DB_URL") == null; // nothing in it but this run
        overrides.put("haven.workspace", work.toString());
        overrides.put("haven.release", out.resolve("release").toString());
        overrides.put("haven.quarantine", out.resolve("quarantine").toString());
        overrides.put("haven.inbox.enabled", "false");
        overrides.put("haven.dicom.port", "");        // a batch run neither listens for DICOM
        overrides.put("haven.export.enabled", "false"); // nor delivers to research PACS (the service does)
        // in process: no broker, no queue consumers, no timers (drop folders, live rule reload, replay, relink,
        // export, sweeps), no web or metrics server; the routes' direct: journey runs in this run's worker threads
        overrides.put("haven.broker.embedded", "false");
        overrides.put("haven.broker.listen", "");
        overrides.put("haven.queues.enabled", "false");
        overrides.put("haven.timers.enabled", "false");
        overrides.put("haven.ocr.uri", "direct:ocr");
        overrides.put("haven.web.enabled", "false");
        overrides.put("haven.ops.metrics.enabled", "false");
        overrides.put("haven.routes.reload", "false");
        overrides.putAll(durability(freshStore, work));
        if (opts.containsKey("project")) overrides.put("haven.project", opts.get("project"));
        if (opts.containsKey("profile")) overrides.put("haven.force-profile", opts.get("profile"));
        Settings settings = Settings.load(Path.of("config/haven.properties"), System.getenv(), overrides);
        // where the key and the store are (stderr: stdout is the summary, one "label count" per line)
        System.err.println("key:   " + keySource);
        System.err.println("store: " + (freshStore ? work.resolve("db") + " (this run's H2 store: outcomes, audit trail, pseudonym mapping)"
                : "HAVEN_DB_URL (the service's store)"));
        String board = opts.getOrDefault("board", "batch");

        try (Haven haven = new Haven(settings).start();
             Stream<Path> walk = Files.walk(in)) {
            BatchRun run = new BatchRun(haven, settings.getInt("haven.batch.threads"), settings.getInt("haven.batch.timeout-s"), !freshStore);
            // walked as the workers go (not listed first: memory flat in the number of files), so what this run
            // writes under IN, when OUT or the workspace is inside it, is left out here
            run.run(walk.filter(p -> !isUnder(p, outAbs) && !isUnder(p, work)).filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith(".")).iterator(), board);
            FileRecords records = new FileRecords(haven.store());
            // a store of this run's own: every outcome in it is one of this run's files
            Map<String, Integer> summary = records.summary(freshStore ? null : run.fileIds());
            int decided = summary.values().stream().mapToInt(Integer::intValue).sum();
            int distinct = run.distinctFiles();
            int received = run.receivedFiles();
            System.out.printf("%-32s %d%n", "received", received);
            if (distinct < received) System.out.printf("%-32s %d%n", "identical copies", received - distinct);
            summary.forEach((k, v) -> System.out.printf("%-32s %d%n", k, v));
            if (decided < distinct) {
                System.out.printf("%-32s %d%n", "undecided", distinct - decided);
                return 1;
            }
            return summary.keySet().stream().anyMatch(k -> k.endsWith(":internal-error")) ? 1 : 0;
        }
    }

    /**
     * What a batch run relaxes, and only with a store of its own (nothing in it but this run; a run that dies is run
     * again, into a new store, from an input folder that still holds every original). Its H2 store writes its changes
     * every half second instead of a chunk per commit (a third of a batch's CPU; the service's store commits durably,
     * WRITE_DELAY=0, see EmbeddedH2), and its staged and de-identified copies are not forced to the device one by one
     * (see Stager, DeidentifyStage). With the service's store (HAVEN_DB_URL), whose commits are durable, both stay: a release
     * recorded there is never a copy a power cut took.
     */
    static Map<String, String> durability(boolean freshStore, Path work) {
        if (!freshStore) return Map.of();
        return Map.of("haven.db.url", "jdbc:h2:file:" + work.resolve("db/haven") + ";WRITE_DELAY=500",
            "haven.outgoing.sync", "false");
    }

    private static boolean isUnder(Path p, Path folder) { return p.toAbsolutePath().normalize().startsWith(folder); }
}

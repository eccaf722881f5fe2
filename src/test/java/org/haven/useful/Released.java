package org.haven.useful;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.haven.pipeline.TestNode;
import org.haven.store.FileRecords;

/**
 * Input files put through a real Haven node (the routes, stages and profiles of the repository; a registry trusting
 * every device with one profile, an embedded broker, H2) the way a batch run does. Each released file is mapped back
 * to its input by the file id the ingest stage returns and the outcome's location. One run per (name, profile) is
 * kept for the JVM so that the dciodvfy and dcm2niix checks share it; the folders are deleted at exit.
 */
final class Released {
    /** input file → released file (inputs that were quarantined are absent), plus the quarantine reasons. */
    record Run(Map<Path, Path> released, Map<Path, String> quarantined) {}

    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(180);

    private Released() {}

    static synchronized Run through(String name, String profile, Collection<Path> inputs) throws Exception {
        String key = name + "|" + profile;
        Run cached = RUNS.get(key);
        if (cached != null) return cached;
        Path root = Files.createTempDirectory("haven-useful-" + name + "-" + profile + "-");
        deleteAtExit(root);
        Map<Path, Path> released = new LinkedHashMap<>();
        Map<Path, String> quarantined = new LinkedHashMap<>();
        try (TestNode node = TestNode.builder(root).devices(TestNode.trustAll(profile)).start()) {
            Map<Path, String> ids = new LinkedHashMap<>();
            for (Path in : inputs) ids.put(in, node.submit(in, "useful"));
            for (Map.Entry<Path, String> e : ids.entrySet()) {
                FileRecords.Outcome o = node.awaitOutcome(e.getValue(), OUTCOME_TIMEOUT);
                if (o.outcome().equals("released")) released.put(e.getKey(), node.release().resolve(o.location()));
                else quarantined.put(e.getKey(), o.reason());
            }
        }
        Run run = new Run(released, quarantined);
        RUNS.put(key, run);
        return run;
    }

    private static void deleteAtExit(Path root) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp folder: left behind at worst
            }
        }));
    }
}

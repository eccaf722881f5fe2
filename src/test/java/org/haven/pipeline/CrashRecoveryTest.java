package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a run: a real node process (persistent embedded broker, PostgreSQL store) is killed twice
 * while files are flowing, at two points: mid-ingest (files still in the inbox, some already received) and with a
 * de-identified file waiting in outgoing/. After the last restart every file must have the same (outcome, reason) as
 * in an uncrashed run of the same input: a crash may delay a file, never change its fate (holding every in-flight
 * file as internal-error would pass a count check, not this one). Nothing is left in the inbox, staging or
 * outgoing, and there is one released file per released outcome.
 */
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void killNineMidIngestAndWithOutgoingFilesChangesNoFate() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(7L).write(5, archive);
        List<AnswerKey.FileEntry> files = key.files();
        Map<String, String> expected = uncrashedRun(archive, files);

        Path work = tmp.resolve("work");
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), TestNode.trustAll("research"));
        // a schema of its own per run: two runs on one machine (helpers, a loop reproducing a failure) never share one
        String schema = "haven_it_crash_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(TestNode.POSTGRES_URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        }
        String dbUrl = TestNode.POSTGRES_URL + "?currentSchema=" + schema;
        Map<String, String> env = Map.ofEntries(Map.entry("HAVEN_WORKSPACE", work.toString()), Map.entry("HAVEN_DEVICES", devices.toString()),
            Map.entry("HAVEN_SECRET_KEY", TestNode.KEY), Map.entry("HAVEN_DB_URL", dbUrl), Map.entry("HAVEN_DB_USER", "postgres"),
            Map.entry("HAVEN_ROUTES_RELOAD", "false"), Map.entry("HAVEN_INBOX_MIN_AGE_MS", "100"), Map.entry("HAVEN_INBOX_POLL_MS", "100"),
            Map.entry("HAVEN_NODE", "crash-test"), Map.entry("HAVEN_WEB_ENABLED", "false"),
            Map.entry("HAVEN_INBOX_MAX_FILES_PER_POLL", "10")); // a poll's files are recorded in one commit: a kill lands between polls
        Path logs = Files.createDirectories(Path.of("target/crash-recovery-logs"));

        // every file is in the inbox before the node starts, so ingest is certainly in progress when the first one lands
        Path inbox = work.resolve("inbox");
        int dropped = 0;
        for (AnswerKey.FileEntry f : files) {
            Path target = inbox.resolve(f.board()).resolve("f" + (dropped++) + ".dcm");
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(archive.resolve(f.path()), part);
            Files.move(part, target);
        }

        // kill 1: mid-ingest
        Process node = start(env, logs.resolve("run-1.log"));
        await(() -> count(dbUrl, "select count(*) from haven_file") > 0, 120, "first file received");
        kill(node);
        int received = count(dbUrl, "select count(*) from haven_file");
        assertThat(regularFiles(inbox, ".dcm")).as("inbox after the mid-ingest kill").isNotEmpty();
        assertThat(received).as("received before the mid-ingest kill").isPositive().isLessThan(dropped);

        // kill 2: a de-identified file waiting in outgoing/ (retried until the kill lands while one is there)
        Path outgoing = work.resolve("outgoing");
        boolean killedWithOutgoing = false;
        for (int attempt = 2; attempt <= 6 && !killedWithOutgoing; attempt++) {
            node = start(env, logs.resolve("run-" + attempt + ".log"));
            boolean seen = awaitQuietly(() -> !regularFiles(outgoing, ".dcm").isEmpty()
                || count(dbUrl, "select count(*) from file_outcome") >= files.size(), 120);
            kill(node);
            killedWithOutgoing = seen && !regularFiles(outgoing, ".dcm").isEmpty();
            if (count(dbUrl, "select count(*) from file_outcome") >= files.size()) break;
        }
        assertThat(killedWithOutgoing).as("a kill landed with outgoing/ non-empty").isTrue();
        int beforeLast = count(dbUrl, "select count(*) from file_outcome");
        assertThat(beforeLast).as("outcomes before the last restart").isLessThan(dropped);

        Process last = start(env, logs.resolve("run-last.log"));
        try {
            await(() -> count(dbUrl, "select count(*) from file_outcome") >= files.size(), 240, "every file decided");
            // positive signal that the node is idle, not a blind sleep: every stage queue drained and no temp left
            await(() -> regularFiles(outgoing, ".dcm").isEmpty() && regularFiles(work.resolve("staging"), ".dcm").isEmpty(), 60,
                "staging and outgoing emptied");
            assertThat(count(dbUrl, "select count(*) from haven_file")).isEqualTo(dropped);
            assertThat(count(dbUrl, "select count(*) from file_outcome")).isEqualTo(dropped);
            assertThat(count(dbUrl, "select count(*) from file_event where event in ('released','quarantined')")).isEqualTo(dropped);
            Map<String, String> actual = fates(dbUrl);
            assertThat(actual).as("(outcome, reason) per file after two kills, against an uncrashed run%s",
                differences(expected, actual, dbUrl, logs, work)).isEqualTo(expected);
            int released = count(dbUrl, "select count(*) from file_outcome where outcome = 'released'");
            System.out.printf("crash recovery: %d files, killed mid-ingest (%d received) and with outgoing/ non-empty (%d decided);"
                + " after restart %d released, every fate as in the uncrashed run%n", dropped, received, beforeLast, released);
            assertThat(released).isPositive();
            assertThat(regularFiles(work.resolve("release"), ".dcm")).hasSize(released);
            assertThat(regularFiles(inbox, "")).isEmpty();
        } finally {
            last.destroy();
            last.waitFor(30, TimeUnit.SECONDS);
            try (Connection c = DriverManager.getConnection(TestNode.POSTGRES_URL, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    /** The same files through an in-process node that is never interrupted: file id → "outcome reason". */
    private Map<String, String> uncrashedRun(Path archive, List<AnswerKey.FileEntry> files) throws Exception {
        Map<String, String> fates = new TreeMap<>();
        try (TestNode node = TestNode.builder(tmp.resolve("baseline")).devices(TestNode.trustAll("research")).brokerName("crash-baseline").start()) {
            List<String> ids = new ArrayList<>();
            for (AnswerKey.FileEntry f : files) ids.add(node.submit(archive.resolve(f.path()), f.board()));
            for (String id : ids) {
                var o = node.awaitOutcome(id, Duration.ofSeconds(120));
                fates.put(id, o.outcome() + " " + o.reason());
            }
        }
        return fates;
    }

    /**
     * For each file whose fate differs: its store events, every node log line naming it, and where its bytes are now,
     * so a failure that does not come back on a rerun can still be explained. Events and log lines hold no
     * identifying values (short ids, reasons, parser messages only).
     */
    static String differences(Map<String, String> expected, Map<String, String> actual, String dbUrl, Path logs, Path work) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String id : expected.keySet()) {
            if (expected.get(id).equals(actual.get(id))) continue;
            out.append("\n=== file ").append(id, 0, 12).append(": expected '").append(expected.get(id))
                .append("', got '").append(actual.get(id)).append("'\n--- store events:\n");
            try (Connection c = DriverManager.getConnection(dbUrl, "postgres", "");
                 java.sql.PreparedStatement ps = c.prepareStatement(
                     "select at, actor, event, reason, detail from file_event where file_id = ? order by at, id")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(rs.getTimestamp(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                            .append(' ').append(rs.getString(4)).append(" | ").append(rs.getString(5)).append('\n');
                    }
                }
            }
            out.append("--- node log lines:\n");
            try (Stream<Path> s = Files.list(logs)) {
                for (Path log : s.sorted().toList()) {
                    for (String line : Files.readAllLines(log)) {
                        if (line.contains(id.substring(0, 12))) out.append(log.getFileName()).append(": ").append(line).append('\n');
                    }
                }
            }
            out.append("--- its files under the workspace:\n");
            try (Stream<Path> s = Files.walk(work)) {
                s.filter(p -> p.getFileName().toString().contains(id)).forEach(p -> out.append(work.relativize(p)).append('\n'));
            }
        }
        return out.toString();
    }

    private static Map<String, String> fates(String url) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select file_id, outcome, reason from file_outcome")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
        }
        return out;
    }

    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, nothing flushed
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("node process ended").isTrue();
    }

    static Process start(Map<String, String> env, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.haven.cli.HavenCli", "run");
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("HAVEN_OPS_METRICS_PORT", "0"); // ./run.sh serves /metrics: on a free port here
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        pb.directory(new File("."));
        return pb.start();
    }

    static List<Path> regularFiles(Path dir, String suffix) {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).toList());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return List.of(Path.of("(changing)")); // a folder vanished while walking: files are moving
        }
    }

    interface Check { boolean ok() throws Exception; }

    static boolean awaitQuietly(Check check, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) return true;
            } catch (Exception e) {
                // store not created yet
            }
            Thread.sleep(5);
        }
        return false;
    }

    static void await(Check check, int seconds, String what) throws InterruptedException {
        if (!awaitQuietly(check, seconds)) throw new AssertionError("timed out waiting for: " + what);
    }

    static int count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

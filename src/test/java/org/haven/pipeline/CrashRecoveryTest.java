package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a run: a real node process (persistent embedded broker, H2 file store) is killed while
 * files are flowing, then started again. Every dropped file must end with exactly one outcome, nothing left in the
 * inbox, staging or outgoing, and one released file per released outcome.
 */
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void killNineMidRunLosesAndDuplicatesNothing() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(7L).write(20, archive);
        Path work = tmp.resolve("work");
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), TestNode.trustAll("research"));
        // PostgreSQL, as in production: a store another process (this test) can read while the node runs
        String schema = "haven_it_crash";
        try (Connection c = DriverManager.getConnection(TestNode.POSTGRES_URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        }
        String dbUrl = TestNode.POSTGRES_URL + "?currentSchema=" + schema;
        Map<String, String> env = Map.of("HAVEN_WORKSPACE", work.toString(), "HAVEN_DEVICES", devices.toString(),
            "HAVEN_SECRET_KEY", TestNode.KEY, "HAVEN_DB_URL", dbUrl, "HAVEN_DB_USER", "postgres", "HAVEN_ROUTES_RELOAD", "false",
            "HAVEN_INBOX_MIN_AGE_MS", "100", "HAVEN_INBOX_POLL_MS", "100", "HAVEN_NODE", "crash-test",
            "HAVEN_WEB_ENABLED", "false");
        Path logs = Files.createDirectories(Path.of("target/crash-recovery-logs"));

        Process first = start(env, logs.resolve("first.log"));
        Path inbox = work.resolve("inbox");
        awaitFile(inbox, 60);
        int dropped = 0;
        for (AnswerKey.FileEntry f : key.files()) {
            Path target = inbox.resolve(f.board()).resolve("f" + (dropped++) + ".dcm");
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(archive.resolve(f.path()), part);
            Files.move(part, target);
        }
        awaitCount(dbUrl, "select count(*) from file_outcome", dropped / 4, 120);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks, nothing flushed
        int before = count(dbUrl, "select count(*) from file_outcome");
        assertThat(before).as("outcomes before the kill").isLessThan(dropped);

        Process second = start(env, logs.resolve("second.log"));
        try {
            awaitCount(dbUrl, "select count(*) from file_outcome", dropped, 240);
            Thread.sleep(1000); // let anything duplicated show itself
            assertThat(count(dbUrl, "select count(*) from haven_file")).isEqualTo(dropped);
            assertThat(count(dbUrl, "select count(*) from file_outcome")).isEqualTo(dropped);
            assertThat(count(dbUrl, "select count(*) from file_event where event in ('released','quarantined')")).isEqualTo(dropped);
            int released = count(dbUrl, "select count(*) from file_outcome where outcome = 'released'");
            System.out.printf("crash recovery: %d files dropped, %d decided before kill -9, all %d decided after restart (%d released)%n",
                dropped, before, dropped, released);
            assertThat(released).isPositive();
            assertThat(regularFiles(work.resolve("release"), ".dcm")).hasSize(released);
            assertThat(regularFiles(inbox, "")).isEmpty();
            assertThat(regularFiles(work.resolve("staging"), ".dcm")).isEmpty();
            assertThat(regularFiles(work.resolve("outgoing"), ".dcm")).isEmpty();
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
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

    static List<Path> regularFiles(Path dir, String suffix) throws Exception {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).toList());
        }
    }

    static void awaitFile(Path p, int seconds) throws InterruptedException {
        for (int i = 0; i < seconds * 10 && !Files.exists(p); i++) Thread.sleep(100);
        assertThat(p).exists();
    }

    static void awaitCount(String url, String sql, int atLeast, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int n = 0;
        while (System.nanoTime() < deadline) {
            try {
                n = count(url, sql);
                if (n >= atLeast) return;
            } catch (Exception e) {
                // store not created yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(sql + " reached " + n + ", expected at least " + atLeast);
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

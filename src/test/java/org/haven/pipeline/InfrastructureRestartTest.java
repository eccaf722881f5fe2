package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.broker.BrokerService;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker and the database restart under a running node. Two halves, so that one missing piece of the machine
 * never hides the other: the broker half needs nothing but this JVM (H2, an external persistent ActiveMQ broker in
 * process) and always runs; the PostgreSQL half checks every assumption (a reachable server, a local cluster it may
 * restart) before it starts anything. Every file ends with exactly one fate, none as internal-error.
 */
class InfrastructureRestartTest {
    @TempDir
    Path tmp;

    /** Stopped mid-run, files sent while it is down (received, then waiting in the failover send), started again. */
    @Test
    void brokerRestartWithFilesSentWhileItIsDownLosesNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path brokerData = tmp.resolve("broker");
        BrokerService broker = startBroker(brokerData, port);
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(21L).write(4, archive);
        String url = "failover:(tcp://127.0.0.1:" + port + ")?initialReconnectDelay=100&maxReconnectDelay=1000";
        ExecutorService senders = Executors.newFixedThreadPool(3);
        try (TestNode node = TestNode.builder(tmp.resolve("n"))
                .setting("haven.broker.embedded", "false").setting("haven.broker.url", url)
                .setting("haven.inbox.enabled", "false").devices(TestNode.trustAll("research")).start()) {
            List<AnswerKey.FileEntry> files = key.files();
            int third = files.size() / 3;
            List<String> ids = new ArrayList<>();
            for (AnswerKey.FileEntry f : files.subList(0, third)) ids.add(node.submit(archive.resolve(f.path()), f.board()));

            broker.stop();
            broker.waitUntilStopped();
            // sent while the broker is down: each is staged and recorded, then its send waits for the broker
            List<Future<String>> whileDown = new ArrayList<>();
            for (AnswerKey.FileEntry f : files.subList(third, 2 * third)) {
                whileDown.add(senders.submit(() -> node.submit(archive.resolve(f.path()), f.board())));
            }
            awaitReceived(node, third + 3, 120); // positive signal: files arrived while the broker was down
            assertThat(whileDown).as("sends wait for the broker").anyMatch(f -> !f.isDone());
            broker = startBroker(brokerData, port);
            for (Future<String> f : whileDown) ids.add(f.get(180, TimeUnit.SECONDS));

            for (AnswerKey.FileEntry f : files.subList(2 * third, files.size())) ids.add(node.submit(archive.resolve(f.path()), f.board()));
            assertEveryFileDecidedOnce(node, ids, "broker restart");
        } finally {
            senders.shutdownNow();
            broker.stop();
        }
    }

    /** The machine's PostgreSQL restarted under a running node (embedded broker). */
    @Test
    void postgresRestartLosesNothing() throws Exception {
        // every assumption first, before anything is started
        String cluster = localCluster();
        Assumptions.assumeTrue(cluster != null, "no local PostgreSQL cluster to restart (pg_ctlcluster, /etc/postgresql)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) || "postgres".equals(System.getProperty("user.name")),
            "restarting PostgreSQL needs root or postgres");
        try (Connection c = DriverManager.getConnection(TestNode.POSTGRES_URL, "postgres", "")) {
            Assumptions.assumeTrue(c.isValid(5), "PostgreSQL at 127.0.0.1:5432 not reachable");
        } catch (java.sql.SQLException e) {
            Assumptions.abort("PostgreSQL at 127.0.0.1:5432 not reachable: " + e.getMessage());
        }

        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(22L).write(4, archive);
        ExecutorService senders = Executors.newSingleThreadExecutor();
        try (TestNode node = TestNode.builder(tmp.resolve("n")).postgres("haven_it_restart")
                .setting("haven.inbox.enabled", "false").devices(TestNode.trustAll("research")).start()) {
            List<AnswerKey.FileEntry> files = key.files();
            int half = files.size() / 2;
            List<String> ids = new ArrayList<>();
            for (AnswerKey.FileEntry f : files.subList(0, half)) ids.add(node.submit(archive.resolve(f.path()), f.board()));
            // the rest are sent while the database restarts (a submit retries until the store answers)
            Future<List<String>> during = senders.submit(() -> {
                List<String> out = new ArrayList<>();
                for (AnswerKey.FileEntry f : files.subList(half, files.size())) out.add(submitRetrying(node, archive.resolve(f.path()), f.board()));
                return out;
            });
            restartPostgres(cluster);
            ids.addAll(during.get(300, TimeUnit.SECONDS));
            assertEveryFileDecidedOnce(node, ids, "PostgreSQL restart");
        } finally {
            senders.shutdownNow();
        }
    }

    static String submitRetrying(TestNode node, Path file, String board) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return node.submit(file, board);
            } catch (IllegalStateException e) { // the store refused the receipt while it restarted: send again
                if (i > 120) throw e;
                Thread.sleep(500);
            }
        }
    }

    static void awaitReceived(TestNode node, int atLeast, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int n = 0;
        while (System.nanoTime() < deadline) {
            try (Connection c = node.haven.store().connection();
                 PreparedStatement ps = c.prepareStatement("select count(*) from haven_file");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                n = rs.getInt(1);
            }
            if (n >= atLeast) return;
            Thread.sleep(50);
        }
        throw new AssertionError("only " + n + " files received, expected " + atLeast);
    }

    static void assertEveryFileDecidedOnce(TestNode node, List<String> ids, String what) throws Exception {
        for (String id : ids) node.awaitOutcome(id, Duration.ofSeconds(180));
        Map<String, Integer> reasons = new TreeMap<>();
        try (Connection c = node.haven.store().connection();
             PreparedStatement ps = c.prepareStatement("select coalesce(reason, outcome), count(*) from file_outcome group by coalesce(reason, outcome)");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) reasons.put(rs.getString(1), rs.getInt(2));
        }
        System.out.println(what + ": " + ids.size() + " files, outcomes " + reasons);
        assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ids.stream().distinct().count());
        assertThat(reasons).doesNotContainKey("internal-error").containsKey("released");
    }

    static BrokerService startBroker(Path data, int port) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("external-restart");
        broker.setPersistent(true);
        broker.setDataDirectoryFile(data.toFile());
        broker.setUseJmx(false);
        broker.addConnector("tcp://127.0.0.1:" + port);
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }

    /** The local cluster's version, or null when there is none this test could restart. */
    static String localCluster() {
        String[] versions = new File("/etc/postgresql").list();
        if (versions == null || versions.length == 0 || !Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))) return null;
        return versions[0];
    }

    /** Restarts the machine's PostgreSQL cluster (the CI machine runs as root with pg_ctlcluster). */
    static void restartPostgres(String version) throws Exception {
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("pg_ctlcluster restart: %s", out).isZero();
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.activemq.broker.BrokerService;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker and the database restart under a running node: an external, persistent ActiveMQ broker is stopped and
 * started again mid-run (the node reconnects through failover:), then PostgreSQL itself is restarted. Every file
 * still ends with exactly one fate, none as internal-error.
 */
class InfrastructureRestartTest {
    @TempDir
    Path tmp;

    @Test
    void brokerAndDatabaseRestartLoseNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path brokerData = tmp.resolve("broker");
        BrokerService broker = startBroker(brokerData, port);
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(21L).write(10, archive);
        String url = "failover:(tcp://127.0.0.1:" + port + ")?initialReconnectDelay=100&maxReconnectDelay=1000";
        try (TestNode node = TestNode.builder(tmp.resolve("n")).postgres("haven_it_restart")
                .setting("haven.broker.embedded", "false").setting("haven.broker.url", url)
                .setting("haven.inbox.enabled", "false").devices(TestNode.trustAll("research")).start()) {
            List<AnswerKey.FileEntry> files = key.files();
            List<String> ids = new ArrayList<>();
            int half = files.size() / 2;
            for (AnswerKey.FileEntry f : files.subList(0, half)) ids.add(node.submit(archive.resolve(f.path()), f.board()));

            broker.stop();
            broker.waitUntilStopped();
            Thread.sleep(1000);
            broker = startBroker(brokerData, port);

            for (AnswerKey.FileEntry f : files.subList(half, files.size())) ids.add(node.submit(archive.resolve(f.path()), f.board()));
            restartPostgres();

            for (String id : ids) node.awaitOutcome(id, Duration.ofSeconds(180));
            Map<String, Integer> reasons = new TreeMap<>();
            try (Connection c = node.haven.store().connection();
                 PreparedStatement ps = c.prepareStatement("select coalesce(reason, outcome), count(*) from file_outcome group by coalesce(reason, outcome)");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) reasons.put(rs.getString(1), rs.getInt(2));
            }
            System.out.println("restarts: " + ids.size() + " files, outcomes " + reasons);
            assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ids.stream().distinct().count());
            assertThat(reasons).doesNotContainKey("internal-error").containsKey("released");
        } finally {
            broker.stop();
        }
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

    /** Restarts the machine's PostgreSQL cluster (the CI machine runs as root with pg_ctlcluster). */
    static void restartPostgres() throws Exception {
        File etc = new File("/etc/postgresql");
        String[] versions = etc.list();
        Assumptions.assumeTrue(versions != null && versions.length > 0 && Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster")),
            "no local PostgreSQL cluster to restart");
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "restart")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("pg_ctlcluster restart: %s", out).isZero();
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a DICOM association: a board's PACS (dcmtk storescu) sends a synthetic archive to a real
 * node process, which is killed once a few objects were acknowledged. After a restart, every acknowledged object gets
 * its fate without the sender's help; then the PACS sends everything again (as it does for unacknowledged objects):
 * every object is in the store exactly once, each with exactly one outcome.
 */
class NetworkCrashTest {
    @TempDir
    Path tmp;

    @Test
    void killNineMidAssociationLosesNothingAcknowledged() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")), "dcmtk storescu not installed");
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(29L).studiesPerPatient(2).write(6, archive);
        List<String> files = new ArrayList<>();
        for (AnswerKey.FileEntry f : key.files()) {
            if (f.transferSyntax().equals(SyntheticArchive.EXPLICIT_LE)) files.add(archive.resolve(f.path()).toString());
        }
        assertThat(files).hasSizeGreaterThan(12);
        String schema = "haven_it_netcrash";
        try (Connection c = DriverManager.getConnection(TestNode.POSTGRES_URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        }
        String dbUrl = TestNode.POSTGRES_URL + "?currentSchema=" + schema;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path boards = Files.writeString(tmp.resolve("boards.yaml"), "boards:\n  - board: lothian\n    ae-titles: [LOTHIAN_PACS]\n    hosts: [127.0.0.1]\n");
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), TestNode.trustAll("research"));
        Map<String, String> env = Map.ofEntries(Map.entry("HAVEN_WORKSPACE", tmp.resolve("work").toString()),
            Map.entry("HAVEN_DEVICES", devices.toString()), Map.entry("HAVEN_SECRET_KEY", TestNode.KEY), Map.entry("HAVEN_DB_URL", dbUrl),
            Map.entry("HAVEN_DB_USER", "postgres"), Map.entry("HAVEN_ROUTES_RELOAD", "false"), Map.entry("HAVEN_NODE", "net-crash"),
            Map.entry("HAVEN_WEB_ENABLED", "false"), Map.entry("HAVEN_DICOM_PORT", String.valueOf(port)),
            Map.entry("HAVEN_BOARDS", boards.toString()));
        Path logs = Files.createDirectories(Path.of("target/network-crash-logs"));

        Process first = CrashRecoveryTest.start(env, logs.resolve("first.log"));
        Process second = null;
        try {
            awaitEcho(port, first);
            List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-xe", "-aet", "LOTHIAN_PACS", "-aec", "HAVEN", "127.0.0.1",
                String.valueOf(port)));
            cmd.addAll(files);
            Process sender = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            AtomicInteger acknowledged = new AtomicInteger();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(sender.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.contains("Received Store Response (Success)") && acknowledged.incrementAndGet() == 5) {
                        first.destroyForcibly(); // SIGKILL while the association is sending
                    }
                }
            }
            sender.waitFor(60, TimeUnit.SECONDS);
            first.waitFor(30, TimeUnit.SECONDS);
            int acked = acknowledged.get();
            assertThat(acked).as("acknowledged before the kill").isGreaterThanOrEqualTo(5).isLessThan(files.size());
            assertThat(sender.exitValue()).as("storescu saw the association break").isNotZero();

            second = CrashRecoveryTest.start(env, logs.resolve("second.log"));
            awaitEcho(port, second);
            int received = CrashRecoveryTest.count(dbUrl, "select count(*) from haven_file");
            assertThat(received).as("every acknowledged object was recorded before its acknowledgement").isGreaterThanOrEqualTo(acked);
            awaitZero(dbUrl, "select count(*) from haven_file h where not exists (select 1 from file_outcome o where o.file_id = h.file_id)");

            // the PACS sends again what it could not be sure of (here: everything)
            Process resend = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(resend.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(resend.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(output.lines().filter(l -> l.contains("Received Store Response (Success)")).count()).as(output).isEqualTo(files.size());
            awaitZero(dbUrl, "select count(*) from haven_file h where not exists (select 1 from file_outcome o where o.file_id = h.file_id)");
            assertThat(CrashRecoveryTest.count(dbUrl, "select count(*) from haven_file")).isEqualTo(files.size());
            assertThat(CrashRecoveryTest.count(dbUrl, "select count(*) from file_outcome")).isEqualTo(files.size());
            assertThat(CrashRecoveryTest.count(dbUrl, "select count(*) from file_event where event = 'duplicate'")).isGreaterThanOrEqualTo(received);
            int released = CrashRecoveryTest.count(dbUrl, "select count(*) from file_outcome where outcome = 'released'");
            assertThat(released).isPositive();
            assertThat(CrashRecoveryTest.regularFiles(tmp.resolve("work/release"), ".dcm")).hasSize(released);
            assertThat(CrashRecoveryTest.regularFiles(tmp.resolve("work/staging"), ".dcm")).isEmpty();
            System.out.printf("network crash: %d objects sent, %d acknowledged before kill -9 (%d recorded), all %d decided once after"
                + " restart and resend (%d released)%n", files.size(), acked, received, files.size(), released);
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits for the node's receiver to answer C-ECHO (a positive sign it is up), failing if the node died. */
    static void awaitEcho(int port, Process node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(node.isAlive()).as("node process running").isTrue();
            Process echo = new ProcessBuilder("echoscu", "-aet", "LOTHIAN_PACS", "-aec", "HAVEN", "127.0.0.1", String.valueOf(port))
                .redirectErrorStream(true).start();
            echo.getInputStream().readAllBytes();
            if (echo.waitFor(30, TimeUnit.SECONDS) && echo.exitValue() == 0) return;
            Thread.sleep(250);
        }
        throw new AssertionError("the node's DICOM receiver did not answer C-ECHO");
    }

    static void awaitZero(String url, String sql) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int n = -1;
        while (System.nanoTime() < deadline) {
            n = CrashRecoveryTest.count(url, sql);
            if (n == 0) return;
            Thread.sleep(200);
        }
        throw new AssertionError(sql + " = " + n + ", expected 0");
    }
}

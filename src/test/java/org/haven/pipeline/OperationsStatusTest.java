package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.haven.ops.StatusReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario: a queue-name typo in a route leaves a file in flight. {@code ./run.sh status} (a separate
 * process with the node's HAVEN_* settings, the broker over TCP) names the queue without consumers and the stuck
 * file and exits 3 (one process run: JVM start-up is the slow part of this test); after the route is fixed, resubmitting releases the file, and status no longer lists it.
 */
class OperationsStatusTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SCHEMA = "haven_it_ops";

    @TempDir
    Path tmp;

    @Test
    void misspeltQueueIsReportedAndResubmitReleasesTheFileOnceFixed() throws Exception {
        Corpus.assumeAvailable();
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            for (Path f : s.toList()) Files.copy(f, routes.resolve(f.getFileName()));
        }
        Path classify = routes.resolve("ingest.yaml"); // the route that hands staged files to haven.classify
        String good = Files.readString(classify);
        String typo = good.replace("uri: \"jms:queue:haven.classify\"", "uri: \"jms:queue:haven.classfy\"");
        assertThat(typo).isNotEqualTo(good);
        Files.writeString(classify, typo);
        String listen = "tcp://127.0.0.1:" + freePort();
        try (TestNode node = TestNode.builder(tmp.resolve("n")).postgres(SCHEMA).setting("haven.routes", routes.toString())
                .setting("haven.routes.reload", "true").setting("haven.broker.listen", listen).setting("haven.ops.stuck-after", "2s").start()) {
            String stuck = node.submit(Corpus.ROOT.resolve("pydicom/test_files/MR_small.dcm"), "lothian");

            // positive signals: the file is in flight after classify, then longer than stuck-after
            StatusReport r = awaitStatus(node, x -> x.files().stream().anyMatch(f -> f.fileId().equals(stuck) && f.stuck()));
            StatusReport.FileInFlight f = r.files().get(0);
            assertThat(f.lastStep()).isEqualTo("received");
            assertThat(f.waitingFor()).isEqualTo("classify");

            Map<String, String> env = Map.of("HAVEN_DB_URL", TestNode.POSTGRES_URL + "?currentSchema=" + SCHEMA, "HAVEN_DB_USER", "postgres",
                "HAVEN_BROKER_LISTEN", listen, "HAVEN_OPS_STUCK_AFTER", "2s");
            CliProcess.Result json = run(env, "status", "--json");
            assertThat(json.exit()).as("status exits 3 on warnings").isEqualTo(3);
            JsonNode report = new ObjectMapper().readTree(json.out());
            assertThat(report.at("/totals/inFlight").asLong()).isEqualTo(1);
            assertThat(report.at("/totals/stuck").asLong()).isEqualTo(1);
            assertThat(report.at("/queues/available").asBoolean()).isTrue();
            JsonNode misspelt = find(report.get("queues").get("queues"), "name", "haven.classfy");
            assertThat(misspelt.get("depth").asLong()).isEqualTo(1);
            assertThat(misspelt.get("consumers").asLong()).isZero();
            assertThat(find(report.get("queues").get("queues"), "name", "haven.classify").get("consumers").asLong()).isPositive();
            assertThat(find(report.get("warnings"), "subject", "haven.classfy").get("kind").asText()).isEqualTo("queue-without-consumers");
            assertThat(find(report.get("warnings"), "subject", stuck).get("kind").asText()).isEqualTo("file-stuck");
            assertThat(report.get("warnings")).noneMatch(w -> w.get("subject").asText().equals("haven.classify"));

            String text = org.haven.cli.StatusCommand.text(node.haven.operations().status()); // the same report, as printed
            assertThat(text).contains("WARNING queue-without-consumers: queue haven.classfy has no consumers and holds 1 message(s)",
                "WARNING file-stuck: file " + stuck.substring(0, 12), "waiting for classify");

            // fix the route; the reloaded route sending to haven.classify, then a new file released, are the signs the fix is live
            Files.writeString(classify, good);
            awaitRouteReloaded(node, "to-classify", "haven.classfy");
            String probe = node.submit(Corpus.ROOT.resolve("pydicom/test_files/CT_small.dcm"), "lothian");
            assertThat(node.awaitOutcome(probe, WAIT).outcome()).isEqualTo("released");
            assertThat(node.records.outcome(stuck)).as("fixing the route alone does not release the stuck file").isEmpty();

            node.haven.operations().resubmit(stuck, "classify route fixed (queue name typo)", "olga");
            assertThatThrownBy(() -> node.haven.operations().resubmit(stuck, "again", "olga")).as("a second click is refused")
                .isInstanceOf(IllegalStateException.class).hasMessageMatching("file is not (stuck|in flight).*");
            assertThat(node.awaitOutcome(stuck, WAIT).outcome()).isEqualTo("released");
            assertThatThrownBy(() -> node.haven.operations().resubmit(stuck, "again", "olga"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("file is not in flight");
            assertThat(events(stuck)).containsSubsequence("received", "resubmitted", "classified", "deidentified", "released");

            StatusReport after = node.haven.operations().status();
            assertThat(after.totals()).containsEntry("inFlight", 0L).containsEntry("released", 2L).containsEntry("stuck", 0L);
            assertThat(after.warnings()).noneMatch(w -> w.kind().equals("file-stuck"));
            // the old message still sits in the misspelt queue (StageGuard drops it if it is ever consumed): still said
            assertThat(after.warnings()).anyMatch(w -> w.subject().equals("haven.classfy"));
        }
    }

    /** Waits until the route's definition no longer mentions {@code gone} (the file watcher reloaded it). */
    static void awaitRouteReloaded(TestNode node, String routeId, String gone) throws Exception {
        org.apache.camel.model.Model model = node.haven.camel().getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            org.apache.camel.model.RouteDefinition def = model.getRouteDefinition(routeId);
            if (def != null && !def.toString().contains(gone) && node.haven.camel().getRoute(routeId) != null) return;
            Thread.sleep(100);
        }
        throw new AssertionError("route " + routeId + " was not reloaded");
    }

    static StatusReport awaitStatus(TestNode node, java.util.function.Predicate<StatusReport> p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        StatusReport r = null;
        while (System.nanoTime() < deadline) {
            r = node.haven.operations().status();
            if (p.test(r)) return r;
            Thread.sleep(200);
        }
        throw new AssertionError("status never matched; last: " + r);
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) if (n.path(field).asText().equals(value)) return n;
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }

    static List<String> events(String fileId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = java.sql.DriverManager.getConnection(TestNode.POSTGRES_URL + "?currentSchema=" + SCHEMA, "postgres", "");
             PreparedStatement ps = c.prepareStatement("select event from file_event where file_id = ? order by id")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code java -cp <test classpath> org.haven.cli.HavenCli ARGS}: exit code and standard output. */
    static CliProcess.Result run(Map<String, String> env, String... args) throws Exception {
        return CliProcess.run(env, args);
    }
}

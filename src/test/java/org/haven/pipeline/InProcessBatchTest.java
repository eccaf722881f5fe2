package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.haven.cli.BatchRun;
import org.haven.store.FileRecords;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch runs carry files through the routes in process (org.haven.cli.BatchRun: no broker, no queue consumers):
 * the same stage beans in the same order must give every file the same fate as the service's one-JMS-hop journey,
 * and a stage that throws must end with the file held (internal-error, original kept), never lost.
 */
class InProcessBatchTest {
    @TempDir
    Path tmp;

    @Test
    void inProcessBatchGivesEveryFileTheServicesFateAndBytes() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(41L).write(4, archive);
        List<Path> files = key.files().stream().map(f -> archive.resolve(f.path())).sorted().toList();

        Map<String, String> service = new TreeMap<>();
        Map<String, String> serviceTree;
        try (TestNode node = TestNode.builder(tmp.resolve("service")).devices(TestNode.trustAll("research")).start()) {
            for (Path f : files) node.submit(f, "lothian");
            for (Path f : files) service.put(archive.relativize(f).toString(), fate(node.awaitOutcome(sha256(f), Duration.ofSeconds(120))));
            serviceTree = tree(node.release());
        }

        Map<String, String> batch = new TreeMap<>();
        try (TestNode node = inProcess(TestNode.builder(tmp.resolve("batch")).devices(TestNode.trustAll("research"))).start()) {
            assertThat(node.haven.camel().getRoute("classify-queue")).as("no queue consumer in a batch").isNull();
            BatchRun run = new BatchRun(node.haven, 2, 600, true);
            run.run(files, "lothian");
            assertThat(run.retried()).isZero();
            for (Path f : files) {
                FileRecords.Outcome o = node.records.outcome(sha256(f)).orElseThrow(() -> new AssertionError("no fate for " + f));
                batch.put(archive.relativize(f).toString(), fate(o));
            }
            assertThat(tree(node.release())).as("the same released bytes (same key)").isEqualTo(serviceTree);
        }
        assertThat(batch).hasSize(files.size()).isEqualTo(service);
        assertThat(batch.values()).as("synthetic data has both fates").contains("released").anyMatch(v -> v.startsWith("quarantined"));
    }

    @Test
    void aStageThatThrowsHoldsTheFileAfterMaxDeliveriesInBatchAndService() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(41L).write(4, archive);
        List<Path> images = key.files().stream().filter(f -> "CT".equals(f.modality()) || "MR".equals(f.modality()))
            .map(f -> archive.resolve(f.path())).sorted().toList();
        assertThat(images).hasSizeGreaterThanOrEqualTo(2);
        Path failing = images.get(0), other = images.get(1); // the first meets a bug, the second goes through
        // a bug in the gate for one file: every attempt throws
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            for (Path f : s.toList()) Files.copy(f, routes.resolve(f.getFileName()));
        }
        String verify = Files.readString(routes.resolve("verify.yaml"));
        String broken = verify.replace("      steps:\n        - bean:\n            ref: verifyStage",
            "      steps:\n        - filter:\n            simple: \"${header.HavenFileId} == '" + sha256(failing) + "'\"\n            steps:\n"
            + "              - throwException:\n                  exceptionType: java.lang.IllegalStateException\n"
            + "                  message: a bug in the gate\n        - bean:\n            ref: verifyStage");
        assertThat(broken).isNotEqualTo(verify);
        Files.writeString(routes.resolve("verify.yaml"), broken);

        try (TestNode node = inProcess(TestNode.builder(tmp.resolve("batch")).devices(TestNode.trustAll("research"))
                .setting("haven.routes", routes.toString())).start()) {
            BatchRun run = new BatchRun(node.haven, 2, 600, true);
            run.run(List.of(failing, other), "lothian");
            assertHeldAsInternalError(node, sha256(failing));
            assertThat(node.records.outcome(sha256(other)).orElseThrow().reason()).isNotEqualTo("internal-error");
            assertThat(run.retried()).as("the broker's redeliveries, in process").isEqualTo(node.haven.settings().getInt("haven.max-deliveries") - 1);
        }
        try (TestNode node = TestNode.builder(tmp.resolve("service")).devices(TestNode.trustAll("research"))
                .setting("haven.routes", routes.toString()).start()) {
            node.submit(failing, "lothian");
            node.submit(other, "lothian");
            assertThat(node.awaitOutcome(sha256(other), Duration.ofSeconds(120)).reason()).isNotEqualTo("internal-error");
            node.awaitOutcome(sha256(failing), Duration.ofSeconds(120));
            assertHeldAsInternalError(node, sha256(failing));
        }
    }

    /** The settings ./run.sh deidentify uses for its node: no broker, no queue consumers, no timers, OCR in process. */
    static TestNode.Builder inProcess(TestNode.Builder b) {
        return b.setting("haven.broker.embedded", "false").setting("haven.queues.enabled", "false")
            .setting("haven.timers.enabled", "false").setting("haven.ocr.uri", "direct:ocr");
    }

    static void assertHeldAsInternalError(TestNode node, String fileId) throws Exception {
        FileRecords.Outcome o = node.records.outcome(fileId).orElseThrow(() -> new AssertionError("the failing file has no fate"));
        assertThat(o.outcome()).isEqualTo("quarantined");
        assertThat(o.reason()).isEqualTo("internal-error");
        assertThat(o.detail()).contains("IllegalStateException");
        assertThat(node.quarantine().resolve(o.location())).as("the original is kept").exists();
        assertThat(node.haven.workspace().outgoing(fileId)).doesNotExist();
    }

    static String fate(FileRecords.Outcome o) { return o.reason() == null ? o.outcome() : o.outcome() + ":" + o.reason(); }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), sha256(p));
        }
        return out;
    }
}

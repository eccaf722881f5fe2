package org.haven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordingStream;
import org.haven.app.Settings;
import org.haven.pipeline.TestNode;
import org.haven.synth.CtSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch run with a store of its own skips the per-file fsync of staged and de-identified copies (its input folder
 * keeps every original); the service, and a batch into the service's durable store, keep it.
 */
class BatchDurabilityTest {
    private static final Path WORK = Path.of("/tmp/haven-work/batch/run");

    @TempDir
    Path tmp;

    @Test
    void theServiceForcesEachCopyToTheDevice() {
        assertThat(Settings.load(null, Map.of(), Map.of()).getBoolean("haven.outgoing.sync")).isTrue();
        assertThat(Settings.load(Path.of("config/haven.properties"), Map.of(), Map.of()).getBoolean("haven.outgoing.sync")).isTrue();
    }

    @Test
    void aBatchWithItsOwnStoreLeavesCopiesToWriteBack() {
        Settings batch = Settings.load(Path.of("config/haven.properties"), Map.of(), DeidentifyCommand.durability(true, WORK));
        assertThat(batch.getBoolean("haven.outgoing.sync")).isFalse();
        assertThat(batch.get("haven.db.url")).endsWith(";WRITE_DELAY=500");
    }

    @Test
    void aBatchIntoTheServiceStoreKeepsEverySync() {
        assertThat(DeidentifyCommand.durability(false, WORK)).isEmpty();
        Settings batch = Settings.load(Path.of("config/haven.properties"), Map.of(), DeidentifyCommand.durability(false, WORK));
        assertThat(batch.getBoolean("haven.outgoing.sync")).isTrue();
    }

    /**
     * Seen from the JVM's own file-force events (JFR {@code jdk.FileForce}, every {@code FileChannel.force}): a node
     * with the service's settings forces its staged copy, a node with a batch's own-store settings does not. The
     * batch file is staged first; the service's force, seen afterwards, shows the events were being recorded.
     */
    @Test
    void aBatchWithItsOwnStoreStagesWithoutForcingTheCopyAndTheServiceForcesIt() throws Exception {
        Path files = tmp.resolve("in");
        new CtSet(5, true).write(2, 1, files);
        List<Path> dicom;
        try (java.util.stream.Stream<Path> s = Files.walk(files)) {
            dicom = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        List<String> forced = new CopyOnWriteArrayList<>();
        CountDownLatch serviceForced = new CountDownLatch(1);
        Path batchRoot = tmp.resolve("batch"), serviceRoot = tmp.resolve("service");
        TestNode.Builder batchNode = TestNode.builder(batchRoot);
        DeidentifyCommand.durability(true, batchRoot.resolve("work")).forEach(batchNode::setting);
        try (RecordingStream events = new RecordingStream();
             TestNode batch = batchNode.start();
             TestNode service = TestNode.builder(serviceRoot).start()) {
            events.enable("jdk.FileForce").withThreshold(Duration.ZERO);
            events.onEvent("jdk.FileForce", e -> {
                String path = e.getString("path");
                forced.add(path);
                if (path.startsWith(service.haven.workspace().staging().toString())) serviceForced.countDown();
            });
            events.startAsync();
            batch.submit(dicom.get(0), "lothian");
            service.submit(dicom.get(1), "lothian");
            assertThat(serviceForced.await(30, TimeUnit.SECONDS)).as("the service's staged copy forced (events: %s)", forced).isTrue();
            String batchStaging = batch.haven.workspace().staging().toString();
            assertThat(forced).as("files the batch node forced").noneMatch(p -> p.startsWith(batchStaging));
        }
    }
}

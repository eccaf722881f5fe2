package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;

import org.haven.classify.DeviceRegistry;
import org.haven.config.ConfigException;
import org.haven.web.DeviceDecisions;
import org.haven.web.RecordedDeviceDecisions;
import org.haven.web.RegistryDeviceDecisions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reviewer trusting a device in the UI writes a registry entry; the running node replays its held files. */
class DeviceDecisionFromReviewTest {
    @TempDir
    Path tmp;

    @Test
    void trustingAHeldDeviceWritesTheRegistryAndReleasesItsFiles() throws Exception {
        Corpus.assumeAvailable();
        String mrOnly = "devices:\n  - id: mr-only\n    modality: MR\n    state: trusted\n    profile: basic\n";
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(mrOnly).setting("haven.devices.check-ms", "200").start()) {
            String ct = node.submit(Corpus.ROOT.resolve("pydicom/test_files/CT_small.dcm"), "lothian");
            assertThat(node.awaitOutcome(ct, Duration.ofSeconds(60)).reason()).isEqualTo("unknown-device");
            String signature = signature(node, ct);
            Path devices = node.root.resolve("devices.yaml");
            RegistryDeviceDecisions decisions = new RegistryDeviceDecisions(devices, Set.of("basic", "research"),
                new RecordedDeviceDecisions(node.haven.store()));

            // a profile that does not exist is refused and the registry is left as it was
            String before = Files.readString(devices);
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                decisions.decide(signature, null, DeviceDecisions.State.TRUSTED, "no-such-profile", "rita", "x")).isInstanceOf(ConfigException.class);
            assertThat(Files.readString(devices)).isEqualTo(before);

            decisions.decide(signature, null, DeviceDecisions.State.TRUSTED, "basic", "rita", "reviewed 20 studies");
            DeviceRegistry reloaded = DeviceRegistry.load(devices, Set.of("basic"));
            assertThat(reloaded.devices().get(0).state()).isEqualTo(DeviceRegistry.State.TRUSTED);
            assertThat(Files.readString(devices)).contains(": trusted with profile basic by rita in the review UI", "# why: reviewed 20 studies");

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !node.records.outcome(ct).map(o -> o.outcome().equals("released")).orElse(false)) {
                Thread.sleep(100);
            }
            assertThat(node.records.outcome(ct).orElseThrow().outcome()).isEqualTo("released");
            assertThat(PipelineTest.events(node, ct)).containsSubsequence("quarantined", "replayed", "released");
        }
    }

    static String signature(TestNode node, String fileId) throws Exception {
        try (Connection c = node.haven.store().connection();
             PreparedStatement ps = c.prepareStatement("select device_signature from haven_file where file_id = ?")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.haven.classify.DeviceRegistries;
import org.haven.classify.DeviceReport;
import org.haven.classify.DeviceStore;
import org.haven.classify.Replayer;
import org.haven.store.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental release end to end (H2): an unknown device's files are held and the device registered with counts;
 * three vendor spellings are one device; trusting it in devices.yaml replays the held files, which are released
 * once and byte-identical to what a node that trusted the device from the start releases; a blocked device never is.
 */
class RegistryReplayTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String[] SPELLINGS = {"GE MEDICAL SYSTEMS", "GE Healthcare", "  ge   healthcare "};

    static final String MR_ONLY = "devices:\n  - id: mr-only\n    modality: MR\n    state: trusted\n    profile: basic\n"
        + "  - id: blocked-rt\n    modality: RTDOSE\n    state: blocked\n";
    static final String CT_TRUSTED = "devices:\n  - id: mr-only\n    modality: MR\n    state: trusted\n    profile: basic\n"
        + "  - id: blocked-rt\n    modality: RTDOSE\n    state: blocked\n"
        + "  - id: ge-ct\n    modality: CT\n    manufacturer: GE\n    state: trusted\n    profile: basic\n    pixels: ct-none\n";

    @TempDir
    Path tmp;

    /** The shipped pixel rules plus "ct-none": a reviewed CT that burns in nothing (blank: []), named by the registry. */
    Path pixelRules() throws java.io.IOException {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("pixels"));
        try (var files = java.nio.file.Files.list(Path.of("config/pixels"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                java.nio.file.Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        java.nio.file.Files.writeString(dir.resolve("95-test-ct.yaml"),
            "rules:\n  - id: ct-none\n    when:\n      Modality: CT\n    blank: []\n");
        return dir;
    }

    @Test
    void unknownDeviceIsHeldThenReplayedOnceWhenTrusted() throws Exception {
        Corpus.assumeAvailable();
        List<Path> cts = spellingVariants(tmp.resolve("in"));
        Path rt = Corpus.ROOT.resolve("pydicom/test_files/rtdose.dcm");

        Map<String, byte[]> direct;
        try (TestNode node = TestNode.builder(tmp.resolve("direct")).devices(CT_TRUSTED).setting("haven.pixels", pixelRules().toString()).brokerName("direct").start()) {
            // the same boards as below: a PatientID without issuer is a local id of its board (config/patients.yaml)
            for (int i = 0; i < cts.size(); i++) {
                var o = node.awaitOutcome(node.submit(cts.get(i), i == 2 ? "tayside" : "lothian"), WAIT);
                assertThat(o.outcome()).as("%s %s", o.reason(), o.detail()).isEqualTo("released");
            }
            direct = tree(node.release());
        }
        assertThat(direct).hasSize(3);

        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(MR_ONLY).setting("haven.devices.check-ms", "200")
            .setting("haven.pixels", pixelRules().toString()).start()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < cts.size(); i++) ids.add(node.submit(cts.get(i), i == 2 ? "tayside" : "lothian"));
            String blocked = node.submit(rt, "lothian");
            for (String id : ids) PipelineTest.assertQuarantined(node, id, "unknown-device");
            PipelineTest.assertQuarantined(node, blocked, "device-blocked");

            // registered once, as review, with per-board counts and examples; raw spellings stored beside "GE"
            DeviceStore store = new DeviceStore(node.haven.store());
            List<DeviceReport.DeviceRow> rows = DeviceReport.report(store, registries(node));
            DeviceReport.DeviceRow ct = rows.stream().filter(r -> r.modality().equals("CT")).findFirst().orElseThrow();
            assertThat(rows.stream().filter(r -> r.modality().equals("CT"))).hasSize(1);
            assertThat(ct.manufacturer()).isEqualTo("GE");
            assertThat(ct.manufacturerRaw()).containsExactlyInAnyOrder("GE MEDICAL SYSTEMS", "GE Healthcare", "ge healthcare");
            assertThat(ct.state()).isEqualTo("review");
            assertThat(ct.deviceId()).isNull();
            assertThat(ct.seen()).isEqualTo(3);
            assertThat(ct.held()).isEqualTo(3);
            assertThat(ct.boards()).extracting(DeviceReport.BoardCounts::board, DeviceReport.BoardCounts::seen)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lothian", 2L), org.assertj.core.groups.Tuple.tuple("tayside", 1L));
            assertThat(ct.unlocks()).isEqualTo(3.0 / 4.0);
            assertThat(ct.examples()).hasSize(3).allMatch(ids::contains);
            assertThat(seenState(node, ct.signatureId())).isEqualTo("review");

            // the reviewer trusts GE CT by editing the registry: the running node notices and replays
            Files.writeString(node.root.resolve("devices.yaml"), CT_TRUSTED);
            for (String id : ids) {
                FileRecords.Outcome o = awaitReleased(node, id);
                assertThat(o.location()).isNotNull();
                assertThat(PipelineTest.events(node, id)).containsSubsequence("classified", "quarantined", "replayed", "classified", "deidentified", "released")
                    .containsOnlyOnce("released", "replayed");
                assertThat(node.quarantine().resolve("unknown-device").resolve(id + ".dcm")).doesNotExist();
                assertThat(node.quarantine().resolve("unknown-device").resolve(id + ".json")).doesNotExist();
            }
            assertThat(deviceRule(node, ids.get(0))).startsWith("devices.yaml:9 ge-ct {modality=CT manufacturer=GE}");
            assertThat(pixelRule(node, ids.get(0))).isEqualTo("ct-none");

            // same pseudonyms, UIDs and bytes as released directly
            Map<String, byte[]> replayed = tree(node.release());
            assertThat(replayed.keySet()).isEqualTo(direct.keySet());
            for (String k : direct.keySet()) assertThat(replayed.get(k)).as(k).isEqualTo(direct.get(k));

            // nothing twice: asking again finds nothing, and the blocked device stays held
            Replayer replayer = node.haven.camel().getRegistry().lookupByNameAndType("replayer", Replayer.class);
            assertThat(replayer.replayDevice("ge-ct", "test")).isZero();
            assertThat(replayer.replayDevice("blocked-rt", "test")).isZero();
            assertThat(replayer.replayTrusted("test")).isZero();
            node.awaitIdle(WAIT); // anything replayed regardless would have been released by now
            assertThat(tree(node.release())).hasSize(3);
            assertThat(node.records.outcome(blocked).orElseThrow().reason()).isEqualTo("device-blocked");
            assertThat(PipelineTest.events(node, blocked)).doesNotContain("replayed", "released");

            DeviceReport.DeviceRow after = DeviceReport.report(store, registries(node)).stream()
                .filter(r -> r.modality().equals("CT")).findFirst().orElseThrow();
            assertThat(after.state()).isEqualTo("trusted");
            assertThat(after.deviceId()).isEqualTo("ge-ct");
            assertThat(after.seen()).as("replay does not count a file twice").isEqualTo(3);
            assertThat(after.released()).isEqualTo(3);
            assertThat(after.held()).isZero();
            assertThat(registryMirror(node)).containsExactly("mr-only", "blocked-rt", "ge-ct");
            org.haven.store.InFlightCheck.assertMatchesTheStore(node.haven.store()); // held files taken back and replayed
            org.haven.store.FateCountCheck.assertMatchesTheStore(node.haven.store());
        }
    }

    @Test
    void brokenRegistryEditIsRejectedAndNothingIsReleased() throws Exception {
        Corpus.assumeAvailable();
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(MR_ONLY).setting("haven.devices.check-ms", "200")
            .setting("haven.pixels", pixelRules().toString()).start()) {
            String ct = node.submit(Corpus.ROOT.resolve("pydicom/test_files/CT_small.dcm"), "lothian");
            PipelineTest.assertQuarantined(node, ct, "unknown-device");
            // trusted without a profile: invalid, so the registry in force (CT unknown) stays
            Files.writeString(node.root.resolve("devices.yaml"), MR_ONLY + "  - id: ge-ct\n    modality: CT\n    state: trusted\n");
            DeviceRegistries registries = node.haven.camel().getRegistry().findSingleByType(DeviceRegistries.class);
            String inForce = registries.current().hash();
            awaitTrue(() -> registries.lastRejection().isPresent(), "the broken edit was read and rejected");
            assertThat(registries.lastRejection().orElseThrow()).contains("devices.yaml:");
            assertThat(registries.current().hash()).isEqualTo(inForce);
            node.awaitIdle(WAIT);
            assertThat(node.records.outcome(ct).orElseThrow().reason()).isEqualTo("unknown-device");
            assertThat(PipelineTest.events(node, ct)).doesNotContain("replayed");
            // a blocked entry for it changes nothing either: blocked files are not replayed
            Files.writeString(node.root.resolve("devices.yaml"), MR_ONLY + "  - id: ge-ct\n    modality: CT\n    state: blocked\n");
            awaitTrue(() -> !registries.current().hash().equals(inForce), "the blocked entry was read and is in force");
            awaitTrue(() -> registryMirror(node).contains("ge-ct"), "the registry in force is mirrored to the store");
            node.awaitIdle(WAIT);
            assertThat(node.records.outcome(ct).orElseThrow().reason()).isEqualTo("unknown-device");
            assertThat(PipelineTest.events(node, ct)).doesNotContain("replayed");
        }
    }

    interface Check { boolean ok() throws Exception; }

    static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) return;
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    static FileRecords.Outcome awaitReleased(TestNode node, String id) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var o = node.records.outcome(id);
            if (o.isPresent() && o.get().outcome().equals("released")) return o.get();
            Thread.sleep(100);
        }
        throw new AssertionError("file " + id.substring(0, 12) + " not released; outcome " + node.records.outcome(id));
    }

    static org.haven.classify.DeviceRegistries registries(TestNode node) {
        return org.haven.classify.DeviceRegistries.load(node.root.resolve("devices.yaml"), Path.of("config/manufacturers.yaml"), null);
    }

    /** CT_small with three spellings of its manufacturer (and its own instance UID each). */
    static List<Path> spellingVariants(Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < SPELLINGS.length; i++) {
            AttributeList list = new AttributeList();
            list.read(Corpus.ROOT.resolve("pydicom/test_files/CT_small.dcm").toFile());
            String ts = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
            list.replaceWithValueIfPresent(TagFromName.Manufacturer, SPELLINGS[i]);
            String uid = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID) + "." + (i + 1);
            list.replaceWithValueIfPresent(TagFromName.SOPInstanceUID, uid);
            list.removeGroupLengthAttributes();
            list.removeMetaInformationHeaderAttributes();
            FileMetaInformation.addFileMetaInformation(list, ts.isEmpty() ? TransferSyntax.ExplicitVRLittleEndian : ts, "HAVENTEST");
            Path p = dir.resolve("ct" + i + ".dcm");
            list.write(p.toFile(), ts.isEmpty() ? TransferSyntax.ExplicitVRLittleEndian : ts, true, true);
            out.add(p);
        }
        return out;
    }

    static Map<String, byte[]> tree(Path root) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.exists(root)) return out;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return out;
    }

    static String seenState(TestNode node, String signatureId) throws Exception {
        return one(node, "select state from device_seen where signature_id = ?", signatureId);
    }

    static String deviceRule(TestNode node, String fileId) throws Exception {
        return one(node, "select device_rule from haven_file where file_id = ?", fileId);
    }

    static String pixelRule(TestNode node, String fileId) throws Exception {
        return one(node, "select pixel_rule from haven_file where file_id = ?", fileId);
    }

    static List<String> registryMirror(TestNode node) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = node.haven.store().connection();
             PreparedStatement ps = c.prepareStatement("select device_id from device_registry order by position");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static String one(TestNode node, String sql, String arg) throws Exception {
        try (Connection c = node.haven.store().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}

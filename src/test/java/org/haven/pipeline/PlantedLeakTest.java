package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.dicom.DicomWriter;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identifiers at rest where nobody looks (issue 13): a real node process is fed files carrying planted values (a
 * patient name, file and folder names, a folder named like a patient, an unknown device's model) and every log
 * line, sidecar, broker file and released file is then searched for them. The store and the quarantined originals
 * are the only places allowed to hold them.
 */
class PlantedLeakTest {
    static final String NAME = "ZZTESTLEAK";
    static final String FILE = "ZZFILELEAK";
    static final String BOARD = "ZZBOARDLEAK";
    static final String DEVICE = "ZZDEVICELEAK";

    @TempDir
    Path tmp;

    @Test
    void plantedValuesReachNoLogSidecarBrokerFileOrRelease() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(3L).write(2, archive);
        List<Path> sources = key.files().stream().map(f -> archive.resolve(f.path())).toList();
        Path work = tmp.resolve("work");
        Path devices = Files.writeString(tmp.resolve("devices.yaml"),
            "devices:\n  - id: all-but-planted\n    model: \"(?!" + DEVICE + ").*\"\n    state: trusted\n    profile: research\n");
        Map<String, String> env = Map.of("HAVEN_WORKSPACE", work.toString(), "HAVEN_DEVICES", devices.toString(),
            "HAVEN_SECRET_KEY", TestNode.KEY, "HAVEN_DB_URL", "jdbc:h2:file:" + work.resolve("db/haven"), "HAVEN_ROUTES_RELOAD", "false",
            "HAVEN_INBOX_MIN_AGE_MS", "100", "HAVEN_INBOX_POLL_MS", "100", "HAVEN_NODE", "planted", "HAVEN_WEB_ENABLED", "false");
        Path log = Files.createDirectories(Path.of("target/planted-leak-logs")).resolve("node.log");

        Path inbox = work.resolve("inbox");
        Files.createDirectories(inbox);
        int expected = 0;
        // released (or held by the gate): planted name, file name and sub-folder name
        plant(sources.get(0), inbox.resolve("lothian").resolve(FILE + "_dir").resolve(FILE + "_a.dcm"), false);
        expected++;
        // an unknown device whose model string is planted: held as unknown-device
        plant(sources.get(1), inbox.resolve("lothian").resolve(FILE + "_b.dcm"), true);
        expected++;
        // a top-level folder named like a patient: held as invalid-board, never a board
        plant(sources.get(2), inbox.resolve(BOARD + "^JOHN").resolve(FILE + "_c.dcm"), false);
        expected++;
        // an empty file and a symbolic link with planted names
        Files.createFile(inbox.resolve("lothian").resolve(FILE + "_empty.dcm"));
        expected++;
        Files.createSymbolicLink(inbox.resolve("lothian").resolve(FILE + "_link.dcm"), sources.get(3));

        Process node = CrashRecoveryTest.start(env, log);
        try {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (System.nanoTime() < deadline && (countOutcomesLogged(log) < expected)) Thread.sleep(200);
            assertThat(countOutcomesLogged(log)).as("fates logged, see " + log).isGreaterThanOrEqualTo(expected);
        } finally {
            node.destroy(); // SIGTERM: logs flushed, broker closed
            node.waitFor(60, TimeUnit.SECONDS);
        }
        String logText = Files.readString(log);
        assertThat(logText).contains("unknown-device").contains("invalid-board").contains("refused an inbox entry");
        for (String planted : List.of(NAME, FILE, BOARD, DEVICE)) {
            assertThat(logText).as("log lines carry %s", planted).doesNotContain(planted);
        }
        List<Path> sidecars = files(work.resolve("quarantine"), ".json");
        assertThat(sidecars).hasSizeGreaterThanOrEqualTo(3);
        assertNone(sidecars, List.of(NAME, FILE, BOARD), "sidecar");
        List<Path> broker = files(work.resolve("broker"), "");
        assertThat(broker).isNotEmpty();
        assertNone(broker, List.of(NAME, FILE, BOARD), "broker file");
        assertNone(files(work.resolve("release"), ""), List.of(NAME, FILE, BOARD), "released file");
        for (Path p : files(work, "")) {
            if (p.startsWith(inbox)) continue;
            String rel = work.relativize(p).toString();
            for (String planted : List.of(NAME, FILE, BOARD)) assertThat(rel).as("a path in the workspace").doesNotContain(planted);
        }
    }

    /** Copies a synthetic file, with the planted patient name (and an unknown device's model when asked). */
    static void plant(Path source, Path target, boolean unknownDevice) throws Exception {
        AttributeList list = new AttributeList();
        list.read(source.toString());
        put(list, TagFromName.PatientName, NAME + "^PLANTED");
        if (unknownDevice) put(list, TagFromName.ManufacturerModelName, DEVICE + " 3000");
        String ts = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        DicomWriter.writeAll(list, ts, part);
        Files.move(part, target);
    }

    static void put(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws Exception {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag, list.get(tag) != null ? list.get(tag).getVR()
            : com.pixelmed.dicom.DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag));
        a.addValue(value);
        list.put(a);
    }

    static int countOutcomesLogged(Path log) throws Exception {
        if (!Files.exists(log)) return 0;
        String text = Files.readString(log);
        int n = 0;
        for (String line : text.split("\n")) if (line.contains("released file ") || line.contains("quarantined file ")) n++;
        return n;
    }

    static List<Path> files(Path dir, String suffix) throws Exception {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).toList());
        }
    }

    static void assertNone(List<Path> files, List<String> planted, String what) throws Exception {
        for (Path p : files) {
            String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            for (String value : planted) assertThat(text).as("%s %s carries %s", what, p, value).doesNotContain(value);
        }
    }
}

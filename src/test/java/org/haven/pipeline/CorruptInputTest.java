package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.haven.store.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never crashes a route and never slips through: truncations at every kind of boundary and random byte
 * damage in the header of real files each end released (if still valid) or quarantined with a reason, never as
 * internal-error, and a released one still passes the release checks.
 */
class CorruptInputTest {
    @TempDir
    Path tmp;

    @Test
    void truncatedAndDamagedFilesAllGetAFate() throws Exception {
        Corpus.assumeAvailable();
        Random random = new Random(20261125L);
        Map<Path, Path> variants = new LinkedHashMap<>(); // variant -> original
        for (String name : new String[] {"pydicom/test_files/CT_small.dcm", "pydicom/test_files/MR_small_bigendian.dcm",
                "pydicom/test_files/JPEG2000.dcm", "pydicom/test_files/rtplan.dcm"}) {
            Path original = Corpus.ROOT.resolve(name);
            byte[] bytes = Files.readAllBytes(original);
            for (int i = 0; i < 12; i++) { // truncations, from inside the preamble to inside the pixel data
                int cut = 1 + random.nextInt(bytes.length - 1);
                variants.put(write(tmp, name, "cut" + cut, java.util.Arrays.copyOf(bytes, cut)), original);
            }
            for (int i = 0; i < 12; i++) { // a few damaged bytes in the first 2 KB (the header)
                byte[] damaged = bytes.clone();
                for (int k = 0; k < 1 + random.nextInt(4); k++) damaged[random.nextInt(Math.min(2048, damaged.length))] = (byte) random.nextInt(256);
                variants.put(write(tmp, name, "flip" + i, damaged), original);
            }
        }
        Map<String, Integer> reasons = new TreeMap<>();
        try (TestNode node = TestNode.builder(tmp.resolve("node")).start()) {
            Map<String, Path> ids = new LinkedHashMap<>();
            for (Map.Entry<Path, Path> v : variants.entrySet()) ids.put(node.submit(v.getKey(), "fuzz"), v.getValue());
            for (Map.Entry<String, Path> e : ids.entrySet()) {
                FileRecords.Outcome o = node.awaitOutcome(e.getKey(), Duration.ofSeconds(120));
                reasons.merge(o.reason() == null ? o.outcome() : o.reason(), 1, Integer::sum);
                assertThat(o.reason()).as("fate of a damaged file (%s)", o.detail()).isNotEqualTo("internal-error");
                if (o.outcome().equals("released")) {
                    boolean blanked = PipelineTest.events(node, e.getKey()).contains("pixels-blanked");
                    ReleasedFileChecks.assertDeidentified(e.getValue(), node.release().resolve(o.location()), blanked);
                }
            }
        }
        System.out.println("corrupt input: " + variants.size() + " variants, outcomes " + reasons);
        assertThat(reasons).containsKey("unreadable");
    }

    static Path write(Path dir, String name, String tag, byte[] bytes) throws java.io.IOException {
        Path p = dir.resolve("in").resolve(name.replace('/', '_') + "." + tag + ".dcm");
        Files.createDirectories(p.getParent());
        return Files.write(p, bytes);
    }
}

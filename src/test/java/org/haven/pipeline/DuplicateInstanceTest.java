package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.haven.store.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One instance in several encodings (pydicom's MR_small as explicit VR little endian, implicit VR and RLE): whatever
 * order they arrive in, the explicit VR little endian file is the one released (EncodingPreference), byte for byte
 * the same, and every other encoding ends as duplicate-instance with a file in the quarantine.
 */
class DuplicateInstanceTest {
    static final String EXPLICIT = "pydicom/test_files/MR_small.dcm";
    static final String IMPLICIT = "pydicom/test_files/MR_small_implicit.dcm";
    static final String RLE = "pydicom/test_files/MR_small_RLE.dcm";

    @TempDir
    Path tmp;

    @Test
    void thePreferredEncodingIsReleasedInEitherOrder() throws Exception {
        Corpus.assumeAvailable();
        byte[] first = releasedBytes("a", List.of(RLE, IMPLICIT, EXPLICIT));   // preferred one last: replaces the release
        byte[] second = releasedBytes("b", List.of(EXPLICIT, RLE, IMPLICIT));  // preferred one first: the others are held
        assertThat(second).isEqualTo(first);
    }

    /** Submits the files one after the other (each decided before the next), returns the one released file's bytes. */
    private byte[] releasedBytes(String name, List<String> order) throws Exception {
        try (TestNode node = TestNode.builder(tmp.resolve(name)).devices(TestNode.trustAll("research")).start()) {
            Map<String, String> ids = new LinkedHashMap<>();
            for (String f : order) {
                String id = node.submit(Corpus.ROOT.resolve(f), "dup");
                node.awaitOutcome(id, Duration.ofSeconds(60));
                ids.put(f, id);
            }
            for (Map.Entry<String, String> e : ids.entrySet()) {
                FileRecords.Outcome o = node.awaitOutcome(e.getValue(), Duration.ofSeconds(5));
                if (e.getKey().equals(EXPLICIT)) {
                    assertThat(o.outcome()).as(e.getKey()).isEqualTo("released");
                } else {
                    assertThat(o.outcome()).as(e.getKey()).isEqualTo("quarantined");
                    assertThat(o.reason()).isEqualTo("duplicate-instance");
                    assertThat(node.quarantine().resolve(o.location())).as("a quarantined file for " + e.getKey()).exists();
                }
            }
            List<Path> released;
            try (var walk = Files.walk(node.release())) {
                released = walk.filter(p -> p.toString().endsWith(".dcm")).toList();
            }
            assertThat(released).hasSize(1);
            org.haven.store.FateCountCheck.assertMatchesTheStore(node.haven.store()); // a released file superseded
            assertThat(node.awaitOutcome(ids.get(EXPLICIT), Duration.ofSeconds(5)).location())
                    .isEqualTo(node.release().relativize(released.get(0)).toString());
            return Files.readAllBytes(released.get(0));
        }
    }
}

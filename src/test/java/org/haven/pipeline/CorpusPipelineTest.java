package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.haven.store.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of the shared corpus goes through the real routes (registry trusting every device with the basic
 * profile): each ends released or quarantined with a reason; released files re-read in their transfer syntax and
 * carry no original PatientName, PatientID or UID; malformed files are quarantined as unreadable.
 */
class CorpusPipelineTest {
    static final Set<String> KNOWN_REASONS = Set.of("unreadable", "unsupported-transfer-syntax", "missing-modality",
        "missing-patient-id", "invalid-patient-id", "missing-uid", "duplicate-instance", "pixels-unverified", "pixels-unsupported", "pixel-text");

    @TempDir
    Path tmp;

    @Test
    void everyCorpusFileEndsReleasedOrQuarantinedOnH2() throws Exception {
        Corpus.assumeAvailable();
        try (TestNode node = TestNode.builder(tmp.resolve("h2")).start()) {
            runCorpus(node, Corpus.entries());
        }
    }

    static void runCorpus(TestNode node, List<Corpus.Entry> entries) throws Exception {
        Map<Corpus.Entry, String> ids = new LinkedHashMap<>();
        for (Corpus.Entry e : entries) ids.put(e, node.submit(e.path(), "corpus"));
        int released = 0;
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        for (Map.Entry<Corpus.Entry, String> e : ids.entrySet()) {
            Corpus.Entry entry = e.getKey();
            FileRecords.Outcome o = node.awaitOutcome(e.getValue(), Duration.ofSeconds(120));
            if (entry.repairable()) {
                // messy but harmless: repaired (audited), then judged like any other file, never unreadable
                assertThat(o.reason()).as("reason for repairable %s", entry.name()).isNotEqualTo("unreadable");
                assertThat(PipelineTest.events(node, e.getValue())).as("audit of %s", entry.name()).contains("repaired");
            } else if (entry.malformed()) {
                assertThat(o.outcome()).as("malformed %s", entry.name()).isEqualTo("quarantined");
                assertThat(o.reason()).as("reason for malformed %s", entry.name()).isEqualTo("unreadable");
            }
            if (o.outcome().equals("quarantined")) {
                assertThat(o.reason()).as("reason for %s (%s)", entry.name(), o.detail())
                    .satisfiesAnyOf(r -> assertThat(r).isIn(KNOWN_REASONS), r -> assertThat(r).startsWith("verification:"));
                reasons.merge(o.reason(), 1, Integer::sum);
                assertThat(o.detail()).as("detail for %s", entry.name()).isNotBlank();
                assertThat(node.quarantine().resolve(o.location())).exists();
            } else {
                assertThat(o.outcome()).isEqualTo("released");
                boolean blanked = PipelineTest.events(node, e.getValue()).contains("pixels-blanked");
                ReleasedFileChecks.assertDeidentified(entry.path(), node.release().resolve(o.location()), blanked);
                released++;
            }
        }
        System.out.println("corpus: " + released + " released of " + entries.size() + "; held " + reasons);
        // most of the corpus is ordinary, readable DICOM with a patient: it must come out the other side
        assertThat(released).as("released files").isGreaterThan(entries.size() / 2);
    }
}

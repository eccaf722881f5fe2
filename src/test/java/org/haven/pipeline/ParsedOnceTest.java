package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.AdviceWith;
import org.haven.HavenHeaders;
import org.haven.store.FileRecords;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's header is parsed once before it is de-identified: classify's parse travels with the file to the
 * de-identify stage inside the one JMS transaction (routes/classify.yaml), which reuses it when the pixel data is
 * copied through (DeidentifyStageReadTest). A route that drops it costs every file a second PixelMed parse (~11 % of
 * a file's stage CPU). The gate's parse of the written bytes is separate and stays.
 */
class ParsedOnceTest {
    @TempDir
    Path tmp;

    @Test
    void classifysParseReachesTheDeidentifyStage() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(41L).write(2, archive);
        List<Path> files = key.files().stream().map(f -> archive.resolve(f.path())).sorted().toList();
        List<Boolean> carried = new CopyOnWriteArrayList<>();
        try (TestNode node = TestNode.builder(tmp.resolve("node")).devices(TestNode.trustAll("research")).start()) {
            AdviceWith.adviceWith(node.haven.camel(), "deidentify",
                route -> route.weaveAddFirst().process(e -> carried.add(e.getProperty(HavenHeaders.DATASET) != null)));
            int released = 0;
            for (Path f : files) {
                String id = node.submit(f, "lothian");
                FileRecords.Outcome o = node.awaitOutcome(id, Duration.ofSeconds(120));
                if ("released".equals(o.outcome())) released++;
            }
            assertThat(released).as("files that went the whole way").isPositive();
        }
        assertThat(carried).as("every file that reached de-identify").isNotEmpty().containsOnly(true);
    }
}

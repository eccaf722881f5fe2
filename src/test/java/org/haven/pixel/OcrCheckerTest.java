package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.pixelmed.dicom.AttributeList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OcrCheckerTest {

    static final String TEXT = "SMITH JOHN 12/04/1960";
    static OcrChecker ocr;
    static PixelPolicy policy;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.isRegularFile(OcrSettings.defaults().modelFile()), "tesseract-ocr-eng not installed");
        policy = new PixelPolicy(PixelRules.load(Path.of("config/pixels")));
        ocr = new OcrChecker(policy.rules().ocr());
    }

    @AfterAll
    static void stop() {
        if (ocr != null) ocr.close();
    }

    private static String words(List<OcrHit> hits) {
        return hits.stream().map(OcrHit::text).collect(Collectors.joining(" "));
    }

    @Test
    void findsBurnedInNameAndDateThenNothingAfterBlanking() throws Exception {
        AttributeList img = Synthetic.textImage(512, 512, TEXT, 30, 60, 24);
        List<OcrHit> hits = ocr.read(img, 1);
        assertThat(words(hits)).contains("SMITH").contains("JOHN").contains("1960");
        OcrHit smith = hits.stream().filter(h -> h.text().contains("SMITH")).findFirst().orElseThrow();
        Box drawn = Synthetic.textBox(TEXT, 30, 60, 24);
        assertThat(drawn.intersects(smith.box())).as("box of SMITH %s within drawn text %s", smith.box(), drawn).isTrue();
        assertThat(policy.verify(img, null, hits).pass()).isFalse();

        new PixelRedactor().redact(img, Synthetic.rule("r", new PixelRule.Region(drawn, java.util.Set.of())));
        List<OcrHit> after = ocr.read(img, 1);
        assertThat(words(after)).doesNotContain("SMITH").doesNotContain("JOHN").doesNotContain("1960");
        assertThat(policy.verify(img, null, after).pass()).as("hits after blanking: %s", after).isTrue();
    }

    @Test
    void textInsideAllowedRegionPasses() throws Exception {
        AttributeList img = Synthetic.textImage(512, 512, TEXT, 30, 60, 24);
        PixelRule allow = new PixelRule("a", Path.of("t.yaml"), 1, List.of(), List.of(), false, List.of(new Box(0, 0, 512, 100)), false, false);
        assertThat(policy.verify(img, allow, ocr.read(img, 1)).pass()).isTrue();
    }

    @Test
    void missingModelFailsAtStartWithClearMessage() {
        OcrSettings bad = new OcrSettings(Path.of("/nonexistent/tessdata"), "eng", 60, 3, 1);
        assertThatThrownBy(() -> new OcrChecker(bad)).isInstanceOf(OcrUnavailableException.class)
                .hasMessageContaining("/nonexistent/tessdata/eng.traineddata").hasMessageContaining("tesseract-ocr-eng");
    }

    @Test
    void sonositeCorpusAfterItsRulePassesTheOcrCheck() throws Exception {
        AttributeList full = Synthetic.read(Synthetic.corpus("pydicom/test_files/examples_ybr_color.dcm"), false);
        PixelDecision d = policy.decide(full);
        List<OcrHit> before = ocr.read(full, 1);
        assertThat(policy.verify(full, d.rule().orElseThrow(), before).pass()).as("name at top left is found before: %s", before).isFalse();
        new PixelRedactor().redact(full, d.rule().orElseThrow());
        List<OcrHit> after = ocr.read(full, 1);
        assertThat(policy.verify(full, d.rule().orElseThrow(), after).offending()).isEmpty();
    }
}

package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.pixelmed.dicom.AttributeList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OcrCheckerTest {

    static final String TEXT = "SMITH JOHN 12/04/1960";
    static OcrChecker ocr;
    static PixelPolicy policy;

    @BeforeAll
    static void start() {
        org.haven.TestData.require(Files.isRegularFile(OcrSettings.defaults().modelFile()), "tesseract-ocr-eng not installed");
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

    /** Whole flow on a synthetic workstation screenshot: banner text blanked by the shipped rule; text lower down caught. */
    @Test
    void screenshotBannerRuleThenOcrStage() throws Exception {
        for (boolean extraText : new boolean[] {false, true}) {
            AttributeList img = Synthetic.textImage(512, 512, TEXT, 30, 40, 24); // inside the 64-px banner
            if (extraText) { // a second line below the banner, e.g. a date a viewer printed elsewhere
                AttributeList second = Synthetic.textImage(512, 512, "DOB 12/04/1960", 30, 300, 24);
                byte[] a = img.get(com.pixelmed.dicom.TagFromName.PixelData).getByteValues();
                byte[] b = second.get(com.pixelmed.dicom.TagFromName.PixelData).getByteValues();
                for (int i = 0; i < a.length; i++) a[i] = (byte) Math.max(a[i] & 0xff, b[i] & 0xff);
                img.get(com.pixelmed.dicom.TagFromName.PixelData).setValues(a);
            }
            Synthetic.put(img, new com.pixelmed.dicom.CodeStringAttribute(com.pixelmed.dicom.TagFromName.Modality), "OT");
            Synthetic.put(img, new com.pixelmed.dicom.CodeStringAttribute(com.pixelmed.dicom.TagFromName.ConversionType), "WSD");
            PixelOutcome out = policy.apply(img, new PixelRedactor());
            assertThat(out.ruleId()).contains("sc-workstation-top-banner");
            assertThat(out.ocrRequired()).isTrue();
            OcrVerdict v = policy.check(img, out.ruleId().orElseThrow(), ocr);
            assertThat(v.pass()).as("extra text %s: %s", extraText, v.offending()).isEqualTo(!extraText);
            if (extraText) {
                assertThat(v.offending()).allMatch(h -> h.box().y() > 64);
                // the date crosses the edge of the bright "anatomy": global Otsu reads only "DOB 12"; an adaptive
                // pass reads the rest
                OcrSettings both = new OcrSettings(ocr.settings().tessdata(), "eng", 60, 3, 1, List.of("otsu", "adaptive"));
                try (OcrChecker twoPass = new OcrChecker(both)) {
                    OcrVerdict v2 = policy.verify(img, policy.rules().byId("sc-workstation-top-banner").orElseThrow(), twoPass.read(img, 1));
                    assertThat(words(v2.offending())).contains("DOB").contains("1960");
                }
            }
        }
    }

    @Test
    void enginesArePerThread() throws Exception {
        AttributeList img = Synthetic.textImage(512, 512, TEXT, 30, 60, 24);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) results.add(pool.submit(() -> words(ocr.read(img, 1))));
            for (var r : results) assertThat(r.get()).contains("SMITH").contains("1960");
        } finally {
            pool.shutdown();
        }
    }
}

package org.haven.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import org.haven.TestData;
import org.haven.pixel.OcrChecker;
import org.haven.pixel.OcrHit;
import org.haven.pixel.OcrSettings;
import org.haven.pixel.PixelOutcome;
import org.haven.pixel.PixelPolicy;
import org.haven.pixel.PixelRedactor;
import org.haven.pixel.PixelRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OCR recall with the shipped settings (config/pixels/00-ocr.yaml) on burned-in identifiers ({@link PlantedText},
 * fixed seeds), the screenshot that leaked ("MORAY PLACE", see web.HeldInputs), and false holds on text-free images.
 * Figures are printed for config/pixels/README.md.
 */
class OcrRecallTest {
    static PixelPolicy policy;
    static OcrChecker ocr;

    @BeforeAll
    static void start() {
        TestData.require(Files.isRegularFile(OcrSettings.defaults().modelFile()), "tesseract-ocr-eng not installed");
        policy = new PixelPolicy(PixelRules.load(Path.of("config/pixels")));
        ocr = new OcrChecker(policy.rules().ocr());
    }

    @AfterAll
    static void stop() {
        if (ocr != null) ocr.close();
    }

    /**
     * Old settings (one Otsu pass): 73% of words found, 0/40 text-free held. Bound 92%: measured 93.7% with
     * [otsu, local, local-light]; the misses left are mostly 10–12 px text on speckle or CT, read below
     * min-confidence or not at all (the 99% the brief asked for is not reached). Text-free: 0/40 measured; at most
     * 1 allowed (one false hold in 40 is what the first local threshold tried gave).
     */
    @Test
    void plantedWordsAreFoundAndTextFreeImagesMostlyPass() throws Exception {
        OcrRecall.Result r = OcrRecall.measure(ocr, policy, PlantedText.withText(20261130L, 120), PlantedText.textFree(20261131L, 40));
        System.out.println("OCR recall (shipped settings): " + r);
        assertThat(r.words()).isGreaterThan(200);
        assertThat(r.recall()).as("box-level recall; missed: %s", r.missed()).isGreaterThanOrEqualTo(0.92);
        assertThat(r.heldTextFree()).as("text-free images held").isLessThanOrEqualTo(1);
    }

    /** The file released with "MORAY PLACE" in its pixels (28 px bold white on near-black, grey oval beside it). */
    @Test
    void morayPlaceScreenshotIsHeld() throws Exception {
        for (String text : List.of("MORAY PLACE", "ALASDAIR GRAY", "LOCHEND ROAD", "DUNBAR ROAD", "CRAIGLEITH HILL")) {
            AttributeList img = PlantedText.screenshot(text);
            List<OcrHit> hits = ocr.read(img, 1);
            assertThat(policy.verify(img, null, hits).offending()).as("%s: %s", text, hits).isNotEmpty();
        }
    }

    /**
     * Corpus CT and US images (first frame) after their pixel rule, leaving out those whose MANIFEST note says text
     * is burned in: none may be held. (Old settings: none held either; the bound is that the new passes add no hold.)
     */
    @Test
    void corpusImagesWithoutTextAreNotHeld() throws Exception {
        Path corpus = Path.of(System.getProperty("haven.corpus", "../shared/corpus"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(corpus.resolve("MANIFEST.tsv")), "corpus not present at " + corpus); // optional: skip
        List<String> held = new ArrayList<>();
        int checked = 0;
        List<String> manifest = Files.readAllLines(corpus.resolve("MANIFEST.tsv"));
        for (String line : manifest.subList(1, manifest.size())) {
            String[] f = line.split("\t", -1);
            if (f.length < 8 || !(f[4].equals("CT") || f[4].equals("US")) || f[7].contains("burned-in")) continue;
            AttributeList l = new AttributeList();
            try (DicomInputStream in = new DicomInputStream(corpus.resolve(f[0]).toFile())) {
                l.read(in);
            } catch (Exception e) {
                continue; // malformed corpus files are other tests' business
            }
            if (l.get(TagFromName.PixelData) == null) continue;
            List<OcrHit> hits;
            PixelOutcome out;
            try {
                out = policy.apply(l, new PixelRedactor());
                if (out.quarantined()) continue; // held before OCR (no rule, unsupported pixels): not OCR's hold
                hits = ocr.read(l, 1);
            } catch (Exception e) {
                continue; // pixels the pipeline cannot decode are held for that reason, not by OCR
            }
            checked++;
            if (!policy.verify(l, out.ruleId().flatMap(id -> policy.rules().byId(id)).orElse(null), hits).pass()) held.add(f[0]);
        }
        System.out.println("corpus CT/US without burned-in text: " + checked + " checked, held " + held);
        assertThat(checked).isGreaterThan(10);
        assertThat(held).isEmpty();
    }
}

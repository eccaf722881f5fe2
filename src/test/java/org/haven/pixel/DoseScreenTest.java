package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dose screens of the three big CT makers, as they arrive from a trusted CT device (DERIVED\SECONDARY, the patient's
 * name at the top): the risk screen marks them, a shipped library rule blanks the name band, and OCR confirms the
 * name is gone. And a cine whose only burned-in text is on frame 7 is read.
 */
class DoseScreenTest {

    static final String NAME = "MACRAE EILIDH 2105937020";
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

    /** A 512×512 dose page: the name in the top band, a dose table lower down. */
    static AttributeList doseScreen(String manufacturer, String model, String imageType, String seriesDescription, int rows) throws Exception {
        BufferedImage img = new BufferedImage(512, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, 512, rows);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
        g.drawString(NAME, 10, 30);
        g.drawString("DLP 412.6 mGy-cm", 10, 300);
        g.dispose();
        AttributeList l = Synthetic.image(rows, 512, 1, 1, 8, false, "MONOCHROME2", 0, false);
        byte[] px = new byte[rows * 512];
        img.getRaster().getDataElements(0, 0, 512, rows, px);
        l.get(TagFromName.PixelData).setValues(px);
        Synthetic.put(l, new com.pixelmed.dicom.UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.2");
        Synthetic.put(l, new CodeStringAttribute(TagFromName.Modality), "CT");
        Synthetic.put(l, new LongStringAttribute(TagFromName.Manufacturer), manufacturer);
        Synthetic.put(l, new LongStringAttribute(TagFromName.ManufacturerModelName), model);
        CodeStringAttribute it = new CodeStringAttribute(TagFromName.ImageType);
        for (String v : imageType.split("\\\\")) it.addValue(v);
        l.put(it);
        if (seriesDescription != null) Synthetic.put(l, new LongStringAttribute(TagFromName.SeriesDescription), seriesDescription);
        return l;
    }

    private static String words(List<OcrHit> hits) {
        return hits.stream().map(OcrHit::text).collect(Collectors.joining(" "));
    }

    @Test
    void geSiemensAndPhilipsDoseScreensAreAtRiskBlankedAndCheckedByOcr() throws Exception {
        List<AttributeList> screens = List.of(
                doseScreen("PHILIPS", "Brilliance 64", "DERIVED\\SECONDARY\\DOSE_INFO", null, 512),
                doseScreen("GE MEDICAL SYSTEMS", "LightSpeed VCT", "DERIVED\\SECONDARY\\SCREEN SAVE", "Dose Report", 512),
                doseScreen("SIEMENS", "SOMATOM Definition AS+", "DERIVED\\SECONDARY\\OTHER", "Patient Protocol", 860));
        for (AttributeList screen : screens) {
            String maker = com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(screen, TagFromName.Manufacturer);
            assertThat(BurnedInRisk.assess(screen).atRisk()).as("%s dose screen at risk", maker).isTrue();
            assertThat(words(ocr.read(screen, 1))).as("%s: the name is readable before", maker).contains("MACRAE");

            PixelDecision d = policy.decide(screen);
            assertThat(d.action()).as("%s dose screen: a library rule applies", maker).isEqualTo(PixelDecision.Action.REDACT);
            assertThat(d.rule().orElseThrow().id()).as(maker).startsWith("ctp-");
            assertThat(d.ocrRequired()).as("%s: OCR checks the blanked screen", maker).isTrue();
            PixelOutcome out = policy.apply(screen, new PixelRedactor());
            assertThat(out.quarantineReason()).as(maker).isNull();
            List<OcrHit> after = ocr.read(screen, 1);
            assertThat(words(after)).as("%s: name gone after blanking", maker).doesNotContain("MACRAE").doesNotContain("2105937020");
            // the dose table is text outside any allowed region: the file is held for a reviewer, never released silently
            assertThat(policy.verify(screen, d.rule().get(), after).pass()).as("%s: remaining text %s", maker, words(after)).isFalse();
        }
    }

    @Test
    void derivedCtReformatAndLowDoseScanStayLow() throws Exception {
        AttributeList reformat = doseScreen("SIEMENS", "SOMATOM", "DERIVED\\SECONDARY\\MPR", "Sag MPR", 512);
        assertThat(BurnedInRisk.assess(reformat).atRisk()).isFalse();
        AttributeList lowDose = doseScreen("GE MEDICAL SYSTEMS", "LightSpeed VCT", "ORIGINAL\\PRIMARY\\AXIAL", "Low Dose Chest", 512);
        assertThat(BurnedInRisk.assess(lowDose).atRisk()).as("an original axial slice named 'low dose' is not a dose page").isFalse();
        // and no library rule blanks it: deid's broad "SeriesDescription contains Dose" is scoped to at-risk images
        PixelDecision d = policy.decide(lowDose);
        assertThat(d.action()).as("rule %s", d.rule().map(PixelRule::id).orElse("-")).isEqualTo(PixelDecision.Action.PASS);
    }

    @Test
    void textOnlyOnFrameSevenOfACineIsRead() throws Exception {
        int frames = 10, rows = 256, cols = 256;
        AttributeList cine = Synthetic.image(rows, cols, frames, 1, 8, false, "MONOCHROME2", 0, false);
        byte[] px = new byte[frames * rows * cols];
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
        g.drawString("MACRAE EILIDH", 10, 40);
        g.dispose();
        byte[] frame7 = new byte[rows * cols];
        img.getRaster().getDataElements(0, 0, cols, rows, frame7);
        System.arraycopy(frame7, 0, px, 6 * rows * cols, rows * cols);
        cine.get(TagFromName.PixelData).setValues(px);
        Synthetic.put(cine, new IntegerStringAttribute(TagFromName.NumberOfFrames), Integer.toString(frames));

        List<OcrHit> hits = ocr.read(cine, policy.rules().ocr().maxFrames());
        assertThat(hits).as("words on the cine").anyMatch(h -> h.text().contains("MACRAE") && h.frame() == 6);
        assertThat(policy.verify(cine, null, hits).pass()).isFalse();
    }

    @Test
    void longCinesAreSampledFromFirstToLastFrame() {
        assertThat(OcrChecker.framesToRead(5, 16)).containsExactly(0, 1, 2, 3, 4);
        int[] sample = OcrChecker.framesToRead(100, 16);
        assertThat(sample).hasSize(16).startsWith(0).endsWith(99).doesNotHaveDuplicates();
        assertThat(OcrChecker.framesToRead(100, 1)).containsExactly(0);
    }
}

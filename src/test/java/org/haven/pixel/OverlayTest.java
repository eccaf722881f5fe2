package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import org.haven.deidentify.ProfileRegistry;
import org.haven.synth.SyntheticOverlays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlay planes (60xx) carrying burned-in text on a CT slice from a trusted device: the risk screen counts an
 * overlay with content (unless the profile removes overlay data), OCR reads each overlay plane and frame, words
 * outside the rule's allowed regions hold the file, and a rule's boxes clear the overlay bits under them.
 */
class OverlayTest {

    static final String NAME = "MACRAE EILIDH";
    static final String RULE = "trusted-ct-top-band";

    @TempDir
    static Path dir;
    static PixelPolicy policy;
    static OcrChecker ocr;

    @BeforeAll
    static void start() throws Exception {
        org.haven.TestData.require(Files.isRegularFile(OcrSettings.defaults().modelFile()), "tesseract-ocr-eng not installed");
        Files.copy(Path.of("config/pixels/00-ocr.yaml"), dir.resolve("00-ocr.yaml"));
        // the trusted CT's rule blanks a band at the top, where its own annotations are
        Files.writeString(dir.resolve("10-trusted-ct.yaml"), String.join("\n",
            "rules:",
            "  - id: " + RULE,
            "    when:",
            "      Manufacturer: HAVEN TEST CT",
            "    blank:",
            "      - {x: 0, y: 0, width: 256, height: 40}",
            ""));
        policy = new PixelPolicy(PixelRules.load(dir));
        ocr = new OcrChecker(policy.rules().ocr());
    }

    @AfterAll
    static void stop() {
        if (ocr != null) ocr.close();
    }

    /** A 256×256 original axial CT slice (16 bits allocated, 12 stored): low risk by its header. */
    static AttributeList ctSlice(int frames, boolean signed) throws Exception {
        AttributeList l = Synthetic.image(256, 256, frames, 1, 16, signed, "MONOCHROME2", 0, false);
        Synthetic.us(l, TagFromName.BitsStored, 12);
        Synthetic.us(l, TagFromName.HighBit, 11);
        Synthetic.put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.2");
        Synthetic.put(l, new CodeStringAttribute(TagFromName.Modality), "CT");
        Synthetic.put(l, new LongStringAttribute(TagFromName.Manufacturer), "HAVEN TEST CT");
        CodeStringAttribute it = new CodeStringAttribute(TagFromName.ImageType);
        it.addValue("ORIGINAL");
        it.addValue("PRIMARY");
        it.addValue("AXIAL");
        l.put(it);
        return l;
    }

    private static String words(List<OcrHit> hits) {
        return hits.stream().map(OcrHit::text).collect(Collectors.joining(" "));
    }

    private static boolean[] bits(AttributeList l, int group) throws Exception {
        OverlayPlanes.Plane p = OverlayPlanes.of(l).stream().filter(x -> x.group() == group).findFirst().orElseThrow();
        OverlayPlanes.Bits b = OverlayPlanes.bits(l, p);
        boolean[] out = new boolean[(int) (p.bitsPerFrame() * p.frames())];
        for (int f = 0, i = 0; f < p.frames(); f++) {
            for (int r = 0; r < p.rows(); r++) for (int c = 0; c < p.columns(); c++, i++) out[i] = b.get(f, r, c);
        }
        return out;
    }

    private static AttributeList writeAndReadBack(AttributeList l, String name) throws Exception {
        Path file = dir.resolve(name);
        AttributeList copy = new AttributeList();
        copy.putAll(l);
        copy.removeMetaInformationHeaderAttributes();
        Synthetic.put(copy, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), "2.25.1234567");
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(copy, TransferSyntax.ExplicitVRLittleEndian, "HAVEN");
        try (DicomOutputStream out = new DicomOutputStream(Files.newOutputStream(file), TransferSyntax.ExplicitVRLittleEndian,
                TransferSyntax.ExplicitVRLittleEndian)) {
            copy.write(out);
        }
        return Synthetic.read(file, false);
    }

    @Test
    void aNameInAnOverlayOutsideTheRuleBoxIsReadByOcrAndHoldsTheFile() throws Exception {
        AttributeList ct = ctSlice(1, false);
        // a 60-row overlay placed at image row 151, column 21 (OverlayOrigin is 1-based)
        int[] box = SyntheticOverlays.addTextOverlay(ct, 0x6002, 60, 220, 151, 21, 1, 0, NAME, 8, 30);

        assertThat(BurnedInRisk.assessImage(ct).atRisk()).as("the slice itself is low risk").isFalse();
        Risk risk = BurnedInRisk.assess(ct);
        assertThat(risk.atRisk()).isTrue();
        assertThat(risk.reason()).isEqualTo("overlay 6002 has content");

        PixelDecision d = policy.decideWith(ct, RULE);
        assertThat(d.action()).isEqualTo(PixelDecision.Action.REDACT);
        assertThat(d.ocrRequired()).as("an overlay with content sends the file to OCR").isTrue();
        PixelOutcome out = policy.apply(ct, new PixelRedactor());
        assertThat(out.quarantineReason()).isNull();
        assertThat(out.redaction().orElseThrow().overlayBitsCleared()).as("the rule's band does not reach the overlay").isZero();

        List<OcrHit> hits = ocr.read(ct, policy.rules().ocr().maxFrames());
        List<OcrHit> overlayWords = hits.stream().filter(h -> h.overlay() == 0x6002).toList();
        assertThat(words(overlayWords)).contains("MACRAE");
        OcrHit macrae = overlayWords.stream().filter(h -> h.text().contains("MACRAE")).findFirst().orElseThrow();
        // mapped into image coordinates: overlay (x, y) + (column origin - 1, row origin - 1)
        Box expected = new Box(box[0] + 20, box[1] + 150, box[2], box[3]);
        assertThat(macrae.box().intersects(expected)).as("word box %s near %s", macrae.box(), expected).isTrue();
        assertThat(macrae.frame()).isZero();

        OcrVerdict v = policy.verify(ct, policy.rules().byId(RULE).orElseThrow(), hits);
        assertThat(v.pass()).isFalse();
        assertThat(v.offending()).anyMatch(h -> h.overlay() == 0x6002 && h.text().contains("MACRAE"));
        assertThat(OcrStage.findingsJson(v.offending())).contains("\"attributePath\":\"OCR[frame=0,overlay=6002]\"");
    }

    @Test
    void overlayTextInsideARuleBoxIsClearedInTheWrittenFileAndTheRestIsKept() throws Exception {
        AttributeList ct = ctSlice(1, false);
        // overlay at image (x=20, y=10): the name at overlay baseline 20 falls inside the rule's band (y < 40); a
        // second line lower down lies outside it
        SyntheticOverlays.addTextOverlay(ct, 0x6000, 100, 230, 11, 21, 1, 0, NAME, 4, 20);
        SyntheticOverlays.addTextOverlay(ct, 0x6004, 100, 230, 11, 21, 1, 0, "KEEP LINE", 4, 80);
        boolean[] before0 = bits(ct, 0x6000), before4 = bits(ct, 0x6004);
        assertThat(words(ocr.read(ct, 1))).as("readable before").contains("MACRAE");

        RedactionResult r = new PixelRedactor().redact(ct, policy.rules().byId(RULE).orElseThrow());
        assertThat(r.overlayBitsCleared()).isPositive();
        AttributeList back = writeAndReadBack(ct, "cleared.dcm");
        boolean[] after0 = bits(back, 0x6000), after4 = bits(back, 0x6004);
        int inBand = 0, setOutside0 = 0;
        for (int row = 0; row < 100; row++) {
            for (int col = 0; col < 230; col++) {
                int i = row * 230 + col;
                boolean inBox = row + 10 < 40; // image y = overlay row + 10; the band is image rows 0..39
                if (inBox) {
                    assertThat(after0[i]).as("overlay 6000 bit at (%d,%d) in the band", row, col).isFalse();
                    assertThat(after4[i]).isFalse();
                    if (before0[i]) inBand++;
                } else {
                    assertThat(after0[i]).as("overlay 6000 bit at (%d,%d) outside", row, col).isEqualTo(before0[i]);
                    assertThat(after4[i]).as("overlay 6004 bit at (%d,%d) outside", row, col).isEqualTo(before4[i]);
                    if (before4[i]) setOutside0++;
                }
            }
        }
        assertThat(inBand).as("the name's bits were in the band").isPositive();
        assertThat(setOutside0).as("the second line's bits are kept").isPositive();
        List<OcrHit> hits = ocr.read(back, 1);
        assertThat(words(hits)).doesNotContain("MACRAE").contains("KEEP");
    }

    @Test
    void anEmptyOverlayAddsNoRiskAndOverlayDataTheProfileRemovesIsNone() throws Exception {
        AttributeList empty = ctSlice(1, false);
        empty.remove(TagFromName.Manufacturer); // no rule for this device
        SyntheticOverlays.addTextOverlay(empty, 0x6000, 256, 256, 1, 1, 1, 0, null, 0, 0);
        assertThat(OverlayPlanes.of(empty)).hasSize(1);
        assertThat(BurnedInRisk.assess(empty).atRisk()).as(BurnedInRisk.assess(empty).reason()).isFalse();
        assertThat(policy.decide(empty).action()).isEqualTo(PixelDecision.Action.PASS);

        AttributeList named = ctSlice(1, false);
        named.remove(TagFromName.Manufacturer);
        SyntheticOverlays.addTextOverlay(named, 0x6000, 256, 256, 1, 1, 1, 0, NAME, 10, 200);
        PixelDecision held = policy.decide(named, true);
        assertThat(held.action()).as("overlay kept, no rule: fail closed").isEqualTo(PixelDecision.Action.QUARANTINE);
        assertThat(held.quarantineReason()).isEqualTo(PixelDecision.PIXELS_UNVERIFIED);
        assertThat(policy.decide(named, false).action()).as("the profile removes overlay data").isEqualTo(PixelDecision.Action.PASS);

        // basic and research remove (60xx,3000); the Clean Graphics option keeps it
        ProfileRegistry profiles = ProfileRegistry.load(Path.of("config/profiles"));
        assertThat(profiles.get("basic").keepsOverlayData()).isFalse();
        assertThat(profiles.get("research").keepsOverlayData()).isFalse();
        assertThat(profiles.get("clean-graphics").keepsOverlayData()).isTrue();
        assertThat(profiles.get("research+clean-graphics").keepsOverlayData()).isTrue();
    }

    @Test
    void aMultiFrameOverlayIsReadFrameByFrameAndClearedPerFrame() throws Exception {
        AttributeList cine = ctSlice(4, false);
        Synthetic.put(cine, new IntegerStringAttribute(TagFromName.NumberOfFrames), "4");
        SyntheticOverlays.addTextOverlay(cine, 0x6000, 256, 256, 1, 1, 4, 2, NAME, 10, 200);
        List<OcrHit> hits = ocr.read(cine, 16);
        assertThat(hits).as("the name only on overlay frame 3").anyMatch(h -> h.overlay() == 0x6000 && h.text().contains("MACRAE") && h.frame() == 2);
        assertThat(hits).noneMatch(h -> h.overlay() == 0x6000 && h.frame() != 2);

        // the same name on every frame, a rule box over it on frame 3 only (1-based frames in rules)
        AttributeList every = ctSlice(4, false);
        Synthetic.put(every, new IntegerStringAttribute(TagFromName.NumberOfFrames), "4");
        SyntheticOverlays.addTextOverlay(every, 0x6000, 256, 256, 1, 1, 4, -1, NAME, 10, 200);
        new PixelRedactor().redact(every, Synthetic.rule("frame-3", Synthetic.region(0, 170, 256, 50, 3)));
        OverlayPlanes.Bits b = OverlayPlanes.bits(every, OverlayPlanes.of(every).get(0));
        assertThat(b.anySet(2)).as("frame 3 cleared").isFalse();
        assertThat(b.anySet(0) && b.anySet(1) && b.anySet(3)).as("other frames untouched").isTrue();
    }

    @Test
    void anOverlayEmbeddedInThePixelsHighBitsIsAtRiskReadAndClearedUnderTheBoxes() throws Exception {
        // signed 12-bit pixels: the blank value (-2048) is sign-extended into bits 12-15, setting the overlay's bit 13
        AttributeList ct = ctSlice(1, true);
        short[] px = ct.get(TagFromName.PixelData).getShortValues();
        for (int i = 0; i < px.length; i++) px[i] &= 0x0FFF; // 12-bit two's complement, high bits free for the overlay
        ct.get(TagFromName.PixelData).setValues(px);
        int[] box = SyntheticOverlays.addEmbeddedTextOverlay(ct, 0x6000, 13, NAME, 10, 30);
        OverlayPlanes.Plane plane = OverlayPlanes.of(ct).get(0);
        assertThat(plane.embedded()).isTrue();
        assertThat(BurnedInRisk.assess(ct, false).reason()).as("the profile cannot remove pixel bits").isEqualTo("overlay 6000 embedded in the pixel data (bit 13)");

        List<OcrHit> hits = ocr.read(ct, 1);
        assertThat(hits).anyMatch(h -> h.overlay() == 0x6000 && h.text().contains("MACRAE"));
        assertThat(hits).as("pixel rendering leaves the overlay bit out").noneMatch(h -> h.overlay() == 0 && h.text().contains("MACRAE"));

        Box text = new Box(box[0], box[1], box[2], box[3]);
        RedactionResult r = new PixelRedactor().redact(ct, Synthetic.rule("name", new PixelRule.Region(text, java.util.Set.of())));
        assertThat(r.overlayBitsCleared()).as("bits the sign-extended blank value set").isPositive();
        OverlayPlanes.Bits b = OverlayPlanes.bits(ct, plane);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                if (text.contains(new Box(x, y, 1, 1))) assertThat(b.get(0, y, x)).as("bit 13 at (%d,%d)", x, y).isFalse();
            }
        }
        assertThat(ocr.read(ct, 1)).noneMatch(h -> h.text().contains("MACRAE"));

        // unsigned pixels: the blank value 0 clears the embedded overlay by itself
        AttributeList unsigned = ctSlice(1, false);
        int[] box2 = SyntheticOverlays.addEmbeddedTextOverlay(unsigned, 0x6000, 13, NAME, 10, 30);
        // read as an overlay, and left out of the pixel values (else bit 13 would swamp their contrast)
        assertThat(ocr.read(unsigned, 1)).anyMatch(h -> h.overlay() == 0x6000 && h.text().contains("MACRAE"))
            .noneMatch(h -> h.overlay() == 0 && h.text().contains("MACRAE"));
        RedactionResult r2 = new PixelRedactor().redact(unsigned,
            Synthetic.rule("name", new PixelRule.Region(new Box(box2[0], box2[1], box2[2], box2[3]), java.util.Set.of())));
        assertThat(r2.overlayBitsCleared()).isZero();
        assertThat(OverlayPlanes.bits(unsigned, OverlayPlanes.of(unsigned).get(0)).anySet(0)).isFalse();
    }

    @Test
    void aRealSiemensMedComOverlayIsParsedCountedAndClearedUnderABox() throws Exception {
        Path file = Synthetic.CORPUS.resolve("pydicom-data/MR-SIEMENS-DICOM-WithOverlays.dcm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(file), "corpus file " + file + " not present"); // the corpus is optional: skip
        AttributeList mr = Synthetic.read(file, false);
        List<OverlayPlanes.Plane> planes = OverlayPlanes.of(mr);
        assertThat(planes).hasSize(1);
        OverlayPlanes.Plane p = planes.get(0);
        assertThat(p.rows()).isEqualTo(484);
        assertThat(p.columns()).isEqualTo(484);
        assertThat(p.embedded()).isFalse();
        assertThat(OverlayPlanes.anyContent(mr, p)).isTrue();
        assertThat(BurnedInRisk.assess(mr, true).reason()).isEqualTo("overlay 6000 has content");
        assertThat(BurnedInRisk.assess(mr, false).atRisk()).as("research removes the overlay: an MR slice is low risk").isFalse();

        // its object graphics are lines, not words: OCR finds nothing in the overlay that would hold the file
        OcrSettings s = policy.rules().ocr();
        assertThat(ocr.read(mr, 1)).noneMatch(h -> h.overlay() != 0 && h.confidence() >= s.minConfidence()
            && PixelPolicy.significant(h.text()) >= s.minCharacters());

        boolean[] before = bits(mr, 0x6000);
        new PixelRedactor().redact(mr, Synthetic.rule("band", Synthetic.region(0, 130, 484, 100)));
        boolean[] after = bits(mr, 0x6000);
        int clearedInBand = 0;
        for (int i = 0; i < before.length; i++) {
            int row = i / 484;
            if (row >= 130 && row < 230) {
                assertThat(after[i]).isFalse();
                if (before[i]) clearedInBand++;
            } else {
                assertThat(after[i]).isEqualTo(before[i]);
            }
        }
        assertThat(clearedInBand).isPositive();
    }

    @Test
    void overlayDataShorterThanItsGeometryFailsClosed() throws Exception {
        AttributeList ct = ctSlice(1, false);
        SyntheticOverlays.addTextOverlay(ct, 0x6000, 256, 256, 1, 1, 1, 0, NAME, 10, 200);
        Synthetic.us(ct, new AttributeTag(0x6000, 0x0010), 4096); // rows now claim far more bits than the data holds
        assertThat(BurnedInRisk.assess(ct).reason()).startsWith("overlay 6000 cannot be read");
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import org.haven.TestData;
import org.haven.store.FileRecords;
import org.haven.synth.SyntheticOverlays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlay planes through the real routes, on a trusted CT whose pixel rule blanks a band at the top. Under a profile
 * that keeps overlays (research + Clean Graphics), a name in an overlay below the band is held as pixel-text, and a
 * name inside the band is cleared from the released overlay while its other bits are kept. Under research, which
 * removes overlay data, the overlay is no risk and is not in the released file.
 */
class OverlayPipelineTest {
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String NAME = "MACRAE EILIDH";
    static final int BAND = 40; // the rule blanks image rows 0..39

    @TempDir
    Path tmp;
    Path pixels;

    @BeforeEach
    void rules() throws Exception {
        TestData.require(Files.isRegularFile(Path.of("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")), "tesseract-ocr-eng not installed");
        pixels = tmp.resolve("pixels");
        try (Stream<Path> s = Files.walk(Path.of("config/pixels"))) {
            for (Path p : s.toList()) {
                Path target = pixels.resolve(Path.of("config/pixels").relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        Files.writeString(pixels.resolve("05-trusted-ct.yaml"), String.join("\n",
            "rules:",
            "  - id: trusted-ct-top-band",
            "    when:",
            "      Manufacturer: ACME",
            "      Modality: CT",
            "    blank:",
            "      - {x: 0, y: 0, width: 512, height: " + BAND + "}",
            ""));
    }

    private TestNode node(String profile, String broker) throws Exception {
        return TestNode.builder(tmp.resolve("n-" + broker)).setting("haven.pixels", pixels.toString())
            .devices(TestNode.trustAll(profile)).brokerName(broker).start();
    }

    /** GateHoldTest's 256 × 512 image as an original axial CT slice, no burned-in text of its own. */
    private static AttributeList ctSlice() throws Exception {
        AttributeList l = GateHoldTest.image("CT", "1.2.840.10008.5.1.4.1.1.2", null);
        CodeStringAttribute it = new CodeStringAttribute(TagFromName.ImageType);
        it.addValue("ORIGINAL");
        it.addValue("PRIMARY");
        it.addValue("AXIAL");
        l.put(it);
        return l;
    }

    private Path write(AttributeList l) throws Exception {
        GateHoldTest.put(l, new com.pixelmed.dicom.LongStringAttribute(TagFromName.StudyDescription), "CT chest");
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l, com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, "HAVENTEST");
        Path f = tmp.resolve("in-" + System.nanoTime() + ".dcm");
        l.write(f.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
        return f;
    }

    @Test
    void aNameInAnOverlayBelowTheRuleBandIsHeldAsPixelText() throws Exception {
        AttributeList ct = ctSlice();
        SyntheticOverlays.addTextOverlay(ct, 0x6002, 256, 512, 1, 1, 1, 0, NAME, 40, 200);
        Path file = write(ct);
        try (TestNode node = node("research+clean-graphics", "overlay-hold")) {
            String id = node.submit(file, "tayside");
            FileRecords.Outcome o = node.awaitOutcome(id, WAIT);
            assertThat(o.outcome()).isEqualTo("quarantined");
            assertThat(o.reason()).isEqualTo("pixel-text");
            JsonNode findings = new ObjectMapper().readTree(node.quarantine().resolve("pixel-text/" + id + ".json").toFile()).path("findings");
            assertThat(findings.path("findings")).anySatisfy(f -> {
                assertThat(f.path("attributePath").asText()).isEqualTo("OCR[frame=0,overlay=6002]");
                assertThat(f.path("matchedText").asText()).contains("MACRAE");
                assertThat(f.path("box").path("y").asInt()).isGreaterThan(BAND);
            });
            assertThat(node.release()).isEmptyDirectory();
        }
    }

    @Test
    void aNameInAnOverlayInsideTheRuleBandIsClearedInTheReleasedFileAndTheOtherBitsAreKept() throws Exception {
        AttributeList ct = ctSlice();
        // the name at overlay row ~10-25 (inside the band); a rectangle outline lower down (a graphic, not text)
        SyntheticOverlays.addTextOverlay(ct, 0x6000, 256, 512, 1, 1, 1, 0, NAME, 40, 24);
        short[] words = ct.get(new AttributeTag(0x6000, 0x3000)).getShortValues();
        for (int r = 120; r < 200; r++) {
            for (int c = 100; c < 400; c++) {
                if (r == 120 || r == 199 || c == 100 || c == 399) words[(r * 512 + c) >> 4] |= (short) (1 << ((r * 512 + c) & 15));
            }
        }
        ct.get(new AttributeTag(0x6000, 0x3000)).setValues(words);
        boolean[] before = bits(words, 256 * 512);
        Path file = write(ct);
        try (TestNode node = node("research+clean-graphics", "overlay-clear")) {
            String id = node.submit(file, "tayside");
            FileRecords.Outcome o = node.awaitOutcome(id, WAIT);
            assertThat(o.outcome()).as("%s %s", o.reason(), o.detail()).isEqualTo("released");
            AttributeList out = read(released(node));
            assertThat(out.get(new AttributeTag(0x6000, 0x3000))).as("Clean Graphics keeps the overlay").isInstanceOf(OtherWordAttribute.class);
            boolean[] after = bits(out.get(new AttributeTag(0x6000, 0x3000)).getShortValues(), 256 * 512);
            int nameBits = 0, graphicBits = 0;
            for (int i = 0; i < before.length; i++) {
                if (i / 512 < BAND) {
                    assertThat(after[i]).as("bit %d in the band", i).isFalse();
                    if (before[i]) nameBits++;
                } else {
                    assertThat(after[i]).as("bit %d outside the band", i).isEqualTo(before[i]);
                    if (before[i]) graphicBits++;
                }
            }
            assertThat(nameBits).isPositive();
            assertThat(graphicBits).isPositive();
        }
    }

    @Test
    void underResearchTheOverlayIsRemovedAndAddsNoRisk() throws Exception {
        AttributeList ct = ctSlice();
        SyntheticOverlays.addTextOverlay(ct, 0x6002, 256, 512, 1, 1, 1, 0, NAME, 40, 200);
        Path file = write(ct);
        try (TestNode node = node("research", "overlay-research")) {
            String id = node.submit(file, "tayside");
            FileRecords.Outcome o = node.awaitOutcome(id, WAIT);
            assertThat(o.outcome()).as("%s %s", o.reason(), o.detail()).isEqualTo("released");
            AttributeList out = read(released(node));
            assertThat(out.keySet()).noneMatch(t -> t.getGroup() >= 0x6000 && t.getGroup() <= 0x601E);
            List<String> events = PipelineTest.events(node, id);
            assertThat(events).as("the device's rule was applied").contains("pixels-blanked");
            assertThat(events).as("no OCR: the overlay was no risk").doesNotContain("ocr-checked");
        }
    }

    private static boolean[] bits(short[] words, int n) {
        boolean[] out = new boolean[n];
        for (int k = 0; k < n; k++) out[k] = (words[k >> 4] >> (k & 15) & 1) != 0;
        return out;
    }

    private static Path released(TestNode node) throws Exception {
        try (Stream<Path> s = Files.walk(node.release())) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".dcm")).toList();
            assertThat(files).hasSize(1);
            return files.get(0);
        }
    }

    private static AttributeList read(Path file) throws Exception {
        AttributeList l = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(file.toFile())) {
            l.read(in);
        }
        return l;
    }
}

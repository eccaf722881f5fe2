package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.haven.TestData;
import org.haven.store.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the last two lines of defence must hold, through the real routes: a header identifier the profile let
 * through is held by the verification gate as {@code verification:<classification>}; burned-in text outside the pixel
 * rule's boxes is held by OCR as {@code pixel-text}. Both sidecars carry the findings in the documented shape.
 */
class GateHoldTest {
    static final Duration WAIT = Duration.ofSeconds(120);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aHeaderIdentifierTheProfileKeptIsHeldByTheGate() throws Exception {
        // the shipped profiles plus one that wrongly keeps StudyDescription: the gate is what stops the leak
        Path profiles = tmp.resolve("profiles");
        try (Stream<Path> s = Files.walk(Path.of("config/profiles"))) {
            for (Path p : s.toList()) {
                Path target = profiles.resolve(Path.of("config/profiles").relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        Files.writeString(profiles.resolve("leaky.yaml"), "description: basic, but StudyDescription kept (a wrong edit)\nextends: basic\n"
            + "attributes:\n  StudyDescription: K\n  BodyPartExamined: K\n");
        // the text cleaner removes the name from the kept free text; the surname typed into a coded attribute the
        // profile keeps (CS, which the cleaner does not rewrite) is what only the gate can stop
        AttributeList header = image("CT", "1.2.840.10008.5.1.4.1.1.2", null);
        put(header, new CodeStringAttribute(TagFromName.BodyPartExamined), "0101011237");
        Path file = write(header, "Follow-up, Mrs Morag McLEOD, CHI 0101011237");
        try (TestNode node = TestNode.builder(tmp.resolve("n")).setting("haven.profiles", profiles.toString())
                .devices(TestNode.trustAll("leaky")).brokerName("gate-hold").start()) {
            String id = node.submit(file, "lothian");
            FileRecords.Outcome o = node.awaitOutcome(id, WAIT);
            assertThat(o.outcome()).isEqualTo("quarantined");
            assertThat(o.reason()).isEqualTo("verification:chi");
            assertThat(node.quarantine().resolve(o.location())).exists();
            JsonNode sidecar = JSON.readTree(node.quarantine().resolve("verification/chi/" + id + ".json").toFile());
            assertThat(sidecar.path("reason").asText()).isEqualTo("verification:chi");
            assertThat(sidecar.path("fileId").asText()).isEqualTo(id);
            assertThat(sidecar.path("board").asText()).isEqualTo("lothian");
            JsonNode findings = sidecar.path("findings");
            assertThat(findings.path("passed").asBoolean(true)).isFalse();
            assertThat(findings.path("primaryClassification").asText()).isEqualTo("chi");
            assertThat(findings.path("counts").path("chi").asInt()).isPositive();
            assertThat(findings.path("findings")).isNotEmpty().allSatisfy(f -> {
                assertThat(f.path("attributePath").asText()).isEqualTo("BodyPartExamined");
                assertThat(f.path("ruleId").asText()).isNotBlank();
                assertThat(f.path("classification").asText()).isIn("source-identifier", "chi", "name");
                assertThat(f.has("offset")).isTrue();
                assertThat(f.has("matchedText")).isTrue();
            });
            assertThat(findings.path("findings")).anySatisfy(f -> assertThat(f.path("matchedText").asText()).isEqualTo("0101011237"));
            assertThat(node.release()).isEmptyDirectory();
        }
    }

    @Test
    void burnedInTextOutsideTheRulesBoxesIsHeldAsPixelText() throws Exception {
        TestData.require(Files.isRegularFile(Path.of("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")), "tesseract-ocr-eng not installed");
        // a workstation screenshot: the shipped rule blanks the top banner, but this one has text lower down too
        AttributeList sc = image("OT", "1.2.840.10008.5.1.4.1.1.7", "SMITH JOHN 12/03/1960");
        Attribute conv = new CodeStringAttribute(TagFromName.ConversionType);
        conv.addValue("WSD");
        sc.put(conv);
        Path file = write(sc, "screen save");
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(TestNode.trustAll("research")).brokerName("pixel-hold").start()) {
            String id = node.submit(file, "tayside");
            FileRecords.Outcome o = node.awaitOutcome(id, WAIT);
            assertThat(o.outcome()).isEqualTo("quarantined");
            assertThat(o.reason()).isEqualTo("pixel-text");
            assertThat(o.detail()).contains("sc-workstation-top-banner");
            JsonNode sidecar = JSON.readTree(node.quarantine().resolve("pixel-text/" + id + ".json").toFile());
            assertThat(sidecar.path("reason").asText()).isEqualTo("pixel-text");
            assertThat(sidecar.path("device").path("Modality").asText()).isEqualTo("OT");
            JsonNode findings = sidecar.path("findings");
            assertThat(findings.path("passed").asBoolean(true)).isFalse();
            assertThat(findings.path("findings")).isNotEmpty().allSatisfy(f -> {
                assertThat(f.path("classification").asText()).isEqualTo("pixel-text");
                assertThat(f.path("attributePath").asText()).startsWith("OCR[frame=");
                assertThat(f.path("matchedText").asText()).isNotBlank();
                assertThat(f.path("confidence").isNumber()).isTrue();
                JsonNode box = f.path("box");
                assertThat(box.path("y").asInt()).as("below the blanked banner").isGreaterThanOrEqualTo(64);
                assertThat(box.path("width").asInt()).isPositive();
                assertThat(box.path("height").asInt()).isPositive();
                assertThat(box.has("x")).isTrue();
            });
            assertThat(findings.path("findings").toString()).contains("SMITH");
            assertThat(node.release()).isEmptyDirectory();
        }
    }

    /** An 8-bit MONOCHROME2 image, 256 x 512, with {@code text} drawn at y=200 when given. */
    static AttributeList image(String modality, String sopClass, String text) throws Exception {
        int rows = 256, cols = 512;
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(20, 20, 20));
        g.fillRect(0, 0, cols, rows);
        if (text != null) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 28));
            g.drawString(text, 40, 200);
        }
        g.dispose();
        byte[] px = new byte[rows * cols];
        img.getRaster().getDataElements(0, 0, cols, rows, px);
        AttributeList l = new AttributeList();
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), sopClass);
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), "1.2.826.0.1.3680043.2.1125.9." + System.nanoTime());
        put(l, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), "1.2.826.0.1.3680043.2.1125.9.1");
        put(l, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), "1.2.826.0.1.3680043.2.1125.9.2");
        put(l, new CodeStringAttribute(TagFromName.Modality), modality);
        put(l, new LongStringAttribute(TagFromName.Manufacturer), "ACME");
        put(l, new PersonNameAttribute(TagFromName.PatientName), "McLEOD^MORAG");
        put(l, new LongStringAttribute(TagFromName.PatientID), "0101011237");
        put(l, new DateAttribute(TagFromName.PatientBirthDate), "19010101");
        put(l, new DateAttribute(TagFromName.StudyDate), "20240105");
        put(l, new ShortStringAttribute(TagFromName.AccessionNumber), "ACC123456");
        put(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
        us(l, TagFromName.Rows, rows);
        us(l, TagFromName.Columns, cols);
        us(l, TagFromName.SamplesPerPixel, 1);
        us(l, TagFromName.BitsAllocated, 8);
        us(l, TagFromName.BitsStored, 8);
        us(l, TagFromName.HighBit, 7);
        us(l, TagFromName.PixelRepresentation, 0);
        OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
        pixels.setValues(px);
        l.put(pixels);
        return l;
    }

    Path write(AttributeList l, String studyDescription) throws Exception {
        put(l, new LongStringAttribute(TagFromName.StudyDescription), studyDescription);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "HAVENTEST");
        Path f = tmp.resolve("in-" + System.nanoTime() + ".dcm");
        l.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return f;
    }

    static void put(AttributeList l, Attribute a, String v) throws Exception {
        a.addValue(v);
        l.put(a);
    }

    static void us(AttributeList l, AttributeTag t, int v) throws Exception {
        Attribute a = new UnsignedShortAttribute(t);
        a.addValue(v);
        l.put(a);
    }
}

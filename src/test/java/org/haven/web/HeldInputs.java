package org.haven.web;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/**
 * Hand-made DICOM inputs that a real pipeline holds for each reason a reviewer meets: a header identifier the
 * profile keeps (gate finding), burned-in text outside the rule's boxes (pixel text), a burned-in flag without a pixel
 * rule (pixels unverified), devices under review, blocked or unknown, truncated and non-DICOM bytes, a second file
 * for an instance already released. Fake names and numbers only.
 */
final class HeldInputs {
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String US = "1.2.840.10008.5.1.4.1.1.6.1";
    static final String XA = "1.2.840.10008.5.1.4.1.1.12.1";
    static final String SC = "1.2.840.10008.5.1.4.1.1.7";

    private final Path dir;
    private int n;

    HeldInputs(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
    }

    /** A small 16-bit image with a fake patient; {@code uidSuffix} makes study/series/instance UIDs. */
    static AttributeList image(String modality, String sopClass, String uidSuffix, int rows, int cols) throws Exception {
        AttributeList l = new AttributeList();
        put(l, TagFromName.SOPClassUID, sopClass);
        put(l, TagFromName.SOPInstanceUID, "1.2.826.0.1.3680043.9.7777.3." + uidSuffix);
        put(l, TagFromName.StudyInstanceUID, "1.2.826.0.1.3680043.9.7777.1." + uidSuffix.replaceAll("\\..*", ""));
        put(l, TagFromName.SeriesInstanceUID, "1.2.826.0.1.3680043.9.7777.2." + uidSuffix);
        put(l, TagFromName.Modality, modality);
        put(l, TagFromName.Manufacturer, "ACME");
        put(l, TagFromName.ManufacturerModelName, "Model " + modality);
        put(l, TagFromName.PatientName, "Kirkton^Alasdair");
        put(l, TagFromName.PatientID, "H123456");
        put(l, TagFromName.PatientBirthDate, "19610312");
        put(l, TagFromName.StudyDate, "20240105");
        put(l, TagFromName.AccessionNumber, "ACC99887");
        put(l, TagFromName.ImageType, "ORIGINAL\\PRIMARY");
        put(l, TagFromName.SamplesPerPixel, "1");
        put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(l, TagFromName.Rows, Integer.toString(rows));
        put(l, TagFromName.Columns, Integer.toString(cols));
        put(l, TagFromName.BitsAllocated, "16");
        put(l, TagFromName.BitsStored, "12");
        put(l, TagFromName.HighBit, "11");
        put(l, TagFromName.PixelRepresentation, "0");
        short[] px = new short[rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = (short) ((i * 7) % 1000 + 10);
        OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
        a.setValues(px);
        l.put(a);
        return l;
    }

    /** An 8-bit secondary-capture screenshot (ConversionType WSD) with {@code text} burned in below the banner. */
    static AttributeList screenshot(String uidSuffix, String text) throws Exception {
        return screenshot(uidSuffix, new Text(text, 20, 130));
    }

    /** Text to burn in: baseline at (x, y). */
    record Text(String text, int x, int y) {}

    /** The same screenshot with each text burned in where it says. */
    static AttributeList screenshot(String uidSuffix, Text... texts) throws Exception {
        int rows = 256, cols = 512;
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(15, 15, 15));
        g.fillRect(0, 0, cols, rows);
        g.setColor(new Color(80, 80, 80));
        g.fillOval(300, 120, 150, 100);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 28));
        for (Text t : texts) g.drawString(t.text(), t.x(), t.y());
        g.dispose();
        AttributeList l = image("OT", SC, uidSuffix, rows, cols);
        put(l, TagFromName.ConversionType, "WSD");
        put(l, TagFromName.BitsAllocated, "8");
        put(l, TagFromName.BitsStored, "8");
        put(l, TagFromName.HighBit, "7");
        byte[] px = new byte[rows * cols];
        img.getRaster().getDataElements(0, 0, cols, rows, px);
        OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
        a.setValues(px);
        l.put(a);
        return l;
    }

    Path write(AttributeList l) throws Exception {
        Path file = dir.resolve("in-" + (++n) + ".dcm");
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "HAVENTEST");
        l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file;
    }

    /** The first {@code length} bytes of a valid file: DICOM that ends in the middle of its header. */
    Path truncated(AttributeList l, int length) throws Exception {
        Path whole = write(l);
        byte[] b = Files.readAllBytes(whole);
        Path file = dir.resolve("in-" + (++n) + ".dcm");
        Files.write(file, java.util.Arrays.copyOf(b, Math.min(length, b.length)));
        return file;
    }

    Path text(String content) throws Exception {
        Path file = dir.resolve("in-" + (++n) + ".dcm");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static void put(AttributeList l, AttributeTag tag, String value) throws Exception {
        Attribute a = AttributeFactory.newAttribute(tag, DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag));
        for (String v : value.split("\\\\")) a.addValue(v);
        l.put(a);
    }
}

package org.haven.pixel;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;

/** Small synthetic images for pixel tests: a value pattern everywhere (so "unchanged" is checkable), optional text. */
final class Synthetic {

    /** The shared corpus, relative to the project root ({@code -Dhaven.corpus=…} to point elsewhere). */
    static final Path CORPUS = Path.of(System.getProperty("haven.corpus", "../shared/corpus"));

    private Synthetic() {}

    /** A header + pixel data; values follow {@link #pattern} so no pixel is accidentally blank. */
    static AttributeList image(int rows, int cols, int frames, int spp, int bits, boolean signed, String pi, int planar, boolean ow8)
            throws DicomException {
        AttributeList l = new AttributeList();
        put(l, new UniqueIdentifierAttribute(TagFromName.TransferSyntaxUID), TransferSyntax.ExplicitVRLittleEndian);
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.7");
        put(l, new CodeStringAttribute(TagFromName.Modality), "OT");
        us(l, TagFromName.Rows, rows);
        us(l, TagFromName.Columns, cols);
        us(l, TagFromName.SamplesPerPixel, spp);
        us(l, TagFromName.BitsAllocated, bits);
        us(l, TagFromName.BitsStored, bits);
        us(l, TagFromName.HighBit, bits - 1);
        us(l, TagFromName.PixelRepresentation, signed ? 1 : 0);
        put(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation), pi);
        if (spp == 3) us(l, TagFromName.PlanarConfiguration, planar);
        if (frames > 1) put(l, new IntegerStringAttribute(TagFromName.NumberOfFrames), Integer.toString(frames));
        int n = rows * cols * spp * frames;
        if (bits == 8 && !ow8) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) b[i] = (byte) pattern(i, 8, signed);
            OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
            a.setValues(b);
            l.put(a);
        } else if (bits == 8) {
            short[] s = new short[(n + 1) / 2];
            for (int i = 0; i < n; i++) s[i / 2] |= (short) ((pattern(i, 8, signed) & 0xff) << (8 * (i & 1)));
            OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
            a.setValues(s);
            l.put(a);
        } else {
            short[] s = new short[n];
            for (int i = 0; i < n; i++) s[i] = (short) pattern(i, 16, signed);
            OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
            a.setValues(s);
            l.put(a);
        }
        return l;
    }

    /** Never the blank value of any photometric interpretation used in tests (min, max or mid-range). */
    static int pattern(int i, int bits, boolean signed) {
        int v = 1 + (i * 7) % 100;
        return signed ? v - 50 + (v >= 50 ? 1 : 0) : v;
    }

    /** 8-bit MONOCHROME2 with light text drawn on a dark, slightly noisy background. */
    static AttributeList textImage(int rows, int cols, String text, int x, int baseline, int fontPx) throws DicomException {
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(20, 20, 20));
        g.fillRect(0, 0, cols, rows);
        g.setColor(new Color(90, 90, 90));
        g.fillOval(cols / 4, rows / 3, cols / 2, rows / 2); // some "anatomy"
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontPx));
        g.drawString(text, x, baseline);
        g.dispose();
        AttributeList l = image(rows, cols, 1, 1, 8, false, "MONOCHROME2", 0, false);
        byte[] px = new byte[rows * cols];
        img.getRaster().getDataElements(0, 0, cols, rows, px);
        l.get(TagFromName.PixelData).setValues(px);
        put(l, new CodeStringAttribute(TagFromName.Modality), "US");
        return l;
    }

    /** Box of text drawn by {@link #textImage} (from font metrics), to blank it. */
    static Box textBox(String text, int x, int baseline, int fontPx) {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontPx));
        var fm = g.getFontMetrics();
        int w = fm.stringWidth(text);
        g.dispose();
        return new Box(x - 2, baseline - fm.getAscent() - 2, w + 4, fm.getAscent() + fm.getDescent() + 4);
    }

    static AttributeList read(Path file, boolean decompress) throws Exception {
        AttributeList l = new AttributeList();
        l.setDecompressPixelData(decompress);
        try (DicomInputStream in = new DicomInputStream(file.toFile())) {
            l.read(in);
        }
        return l;
    }

    static void put(AttributeList l, Attribute a, String v) throws DicomException {
        a.addValue(v);
        l.put(a);
    }

    static void us(AttributeList l, AttributeTag t, int v) throws DicomException {
        UnsignedShortAttribute a = new UnsignedShortAttribute(t);
        a.addValue(v);
        l.put(a);
    }

    static PixelRule rule(String id, PixelRule.Region... regions) {
        return new PixelRule(id, Path.of("test.yaml"), 1, java.util.List.of(), java.util.List.of(regions), false, java.util.List.of(), false, false);
    }

    static PixelRule.Region region(int x, int y, int w, int h, Integer... frames) {
        return new PixelRule.Region(new Box(x, y, w, h), java.util.Set.of(frames));
    }

    static Path corpus(String rel) {
        Path p = CORPUS.resolve(rel);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(p), "corpus file absent: " + rel);
        return p;
    }
}

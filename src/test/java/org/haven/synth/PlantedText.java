package org.haven.synth;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.haven.pixel.Box;

/**
 * A varied, reproducible set of images with identifiers burned into the pixels at known word boxes, for measuring
 * OCR recall: fake names, streets, dates, CHI and hospital numbers ({@link Fakes}); 10–32 px, plain or bold, sans or
 * mono, anti-aliased or not; light on dark and dark on light; on flat, gradient, ultrasound-speckle and CT-like
 * backgrounds; 8-bit and 16-bit (12 stored) MONOCHROME2, MONOCHROME1 and RGB (coloured text). Text is only placed
 * where it stands out from what is under it (contrast ≥ 0.35 of full scale against the local mean): text a person
 * cannot read either is not what this measures. Also text-free images of the same kinds, for false holds.
 */
public final class PlantedText {
    private PlantedText() {}

    /** One image: the pixels, and each planted word with its box (empty for a text-free image). */
    public record Case(String label, AttributeList image, List<Word> words) {}

    public record Word(String text, Box box) {}

    private enum Background { FLAT_DARK, FLAT_LIGHT, FLAT_MID, GRADIENT, SPECKLE, CT }

    private enum Format { MONO8, MONO16, MONO1_16, RGB }

    private static final int[] SIZES = {10, 11, 12, 14, 16, 18, 20, 24, 28, 32};
    private static final String[] FAMILIES = {Font.SANS_SERIF, Font.MONOSPACED, Font.SERIF};

    /** {@code n} images with text, from {@code seed}. */
    public static List<Case> withText(long seed, int n) throws DicomException {
        Random r = new Random(seed);
        List<Case> out = new ArrayList<>();
        int attempts = 0;
        while (out.size() < n && attempts++ < n * 20) {
            Case c = one(r, out.size(), true);
            if (c != null) out.add(c);
        }
        return out;
    }

    /** {@code n} images of the same kinds without any text. */
    public static List<Case> textFree(long seed, int n) throws DicomException {
        Random r = new Random(seed);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(one(r, i, false));
        return out;
    }

    private static Case one(Random r, int index, boolean text) throws DicomException {
        int[][] sizes = {{512, 512}, {480, 640}, {256, 256}, {600, 800}, {1024, 1024}, {240, 320}};
        int[] rc = sizes[r.nextInt(sizes.length)];
        int rows = rc[0], cols = rc[1];
        Background bg = Background.values()[r.nextInt(Background.values().length)];
        Format format = Format.values()[r.nextInt(Format.values().length)];
        double[] base = background(r, bg, rows, cols);
        String label = "#" + index + " " + cols + "x" + rows + " " + bg + " " + format;
        if (!text) return new Case(label, image(base, null, rows, cols, format, new double[] {1, 1, 1}, 0), List.of());

        int px = SIZES[r.nextInt(SIZES.length)];
        if (px > rows / 8) px = Math.max(10, rows / 8);
        int style = r.nextBoolean() ? Font.BOLD : Font.PLAIN;
        Font font = new Font(FAMILIES[r.nextInt(FAMILIES.length)], style, px);
        boolean antialias = r.nextBoolean();
        String line = identifierLine(r);
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g0 = scratch.createGraphics();
        FontMetrics fm = g0.getFontMetrics(font);
        g0.dispose();
        int width = fm.stringWidth(line);
        if (width + 8 > cols) return null;
        int x = 4 + r.nextInt(cols - width - 8 + 1);
        int baseline = fm.getAscent() + 4 + r.nextInt(Math.max(1, rows - fm.getHeight() - 8));
        Box lineBox = new Box(x, baseline - fm.getAscent(), width, fm.getAscent() + fm.getDescent());
        double under = mean(base, cols, lineBox);
        double ink = under < 0.5 ? 0.92 + r.nextDouble() * 0.08 : r.nextDouble() * 0.08;
        if (Math.abs(ink - under) < 0.35) return null;

        byte[] alpha = new byte[rows * cols];
        BufferedImage mask = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = mask.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
            antialias ? RenderingHints.VALUE_TEXT_ANTIALIAS_ON : RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        g.setFont(font);
        g.setColor(java.awt.Color.WHITE);
        g.drawString(line, x, baseline);
        g.dispose();
        mask.getRaster().getDataElements(0, 0, cols, rows, alpha);

        List<Word> words = new ArrayList<>();
        int from = 0;
        for (String w : line.split(" ")) {
            int at = line.indexOf(w, from);
            int wx = x + fm.stringWidth(line.substring(0, at));
            words.add(new Word(w, new Box(wx, baseline - fm.getAscent(), fm.stringWidth(w), fm.getAscent() + fm.getDescent())));
            from = at + w.length();
        }
        double[] colour = format == Format.RGB ? RGB_INKS[r.nextInt(RGB_INKS.length)] : new double[] {1, 1, 1};
        if (ink < 0.5) colour = new double[] {1, 1, 1};
        label += " " + px + "px " + (style == Font.BOLD ? "bold " : "") + font.getFamily() + (antialias ? " aa" : "")
            + (ink > 0.5 ? " light" : " dark");
        return new Case(label, image(base, alpha, rows, cols, format, colour, ink), words);
    }

    /**
     * The workstation screenshot of web.HeldInputs#screenshot: 512×256 8-bit MONOCHROME2, near-black with a grey
     * oval, {@code text} in 28 px bold white anti-aliased sans at (20, 130).
     */
    public static AttributeList screenshot(String text) throws DicomException {
        int rows = 256, cols = 512;
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new java.awt.Color(15, 15, 15));
        g.fillRect(0, 0, cols, rows);
        g.setColor(new java.awt.Color(80, 80, 80));
        g.fillOval(300, 120, 150, 100);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 28));
        g.drawString(text, 20, 130);
        g.dispose();
        byte[] px = new byte[rows * cols];
        img.getRaster().getDataElements(0, 0, cols, rows, px);
        double[] base = new double[rows * cols];
        for (int i = 0; i < px.length; i++) base[i] = (px[i] & 0xff) / 255.0;
        return image(base, null, rows, cols, Format.MONO8, new double[] {1, 1, 1}, 0);
    }

    /** Ultrasound-style text colours on RGB images (white, yellow, green, cyan), all light. */
    private static final double[][] RGB_INKS = {{1, 1, 1}, {1, 1, 0.2}, {0.3, 1, 0.3}, {0.3, 1, 1}};

    private static String identifierLine(Random r) {
        LocalDate birth = LocalDate.of(1930 + r.nextInt(80), 1 + r.nextInt(12), 1 + r.nextInt(28));
        String given = Fakes.pick(r, r.nextBoolean() ? Fakes.MALE : Fakes.FEMALE), family = Fakes.pick(r, Fakes.SURNAMES);
        String s = switch (r.nextInt(7)) {
            case 0 -> family.toUpperCase(Locale.ROOT) + " " + given.toUpperCase(Locale.ROOT);
            case 1 -> given + " " + family;
            case 2 -> Fakes.street(r);
            case 3 -> "DOB " + birth.format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
            case 4 -> "CHI " + Fakes.chi(r, birth, r.nextBoolean() ? 'M' : 'F', false);
            case 5 -> "MRN " + Fakes.digits(r, 7) + " " + birth.format(DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.UK));
            default -> Fakes.street(r).toUpperCase(Locale.ROOT);
        };
        return s.replace("'", "");
    }

    /** Values in 0..1. */
    private static double[] background(Random r, Background bg, int rows, int cols) {
        double[] v = new double[rows * cols];
        switch (bg) {
            case FLAT_DARK -> java.util.Arrays.fill(v, 0.02 + r.nextDouble() * 0.08);
            case FLAT_LIGHT -> java.util.Arrays.fill(v, 0.8 + r.nextDouble() * 0.15);
            case FLAT_MID -> java.util.Arrays.fill(v, 0.25 + r.nextDouble() * 0.1);
            case GRADIENT -> {
                boolean vertical = r.nextBoolean();
                double a = r.nextDouble() * 0.3, b = 0.5 + r.nextDouble() * 0.5;
                for (int y = 0; y < rows; y++) {
                    for (int x = 0; x < cols; x++) {
                        double t = vertical ? y / (double) rows : x / (double) cols;
                        v[y * cols + x] = a + (b - a) * t;
                    }
                }
            }
            case SPECKLE -> { // dark frame, a fan of speckle with bright bands, as ultrasound
                double ax = cols / 2.0, ay = rows * 0.08;
                for (int y = 0; y < rows; y++) {
                    for (int x = 0; x < cols; x++) {
                        double dx = x - ax, dy = y - ay, d = Math.hypot(dx, dy);
                        double val = 0.02;
                        if (dy > 0 && Math.abs(Math.atan2(dx, dy)) < 0.7 && d < rows * 0.9) {
                            val = 0.15 + r.nextDouble() * 0.35 + 0.15 * Math.sin(d / 9.0) + (d > rows * 0.3 && d < rows * 0.4 ? 0.25 : 0);
                        }
                        v[y * cols + x] = Math.max(0, Math.min(0.9, val));
                    }
                }
            }
            case CT -> {
                short[] s = Pixels.grey16(r, rows, cols, r.nextInt(4) == 0);
                for (int i = 0; i < v.length; i++) v[i] = s[i] / 4095.0;
            }
        }
        return v;
    }

    private static double mean(double[] v, int cols, Box b) {
        double sum = 0;
        int n = 0;
        for (int y = Math.max(0, b.y()); y < b.y() + b.height() && y * cols < v.length; y++) {
            for (int x = Math.max(0, b.x()); x < Math.min(cols, b.x() + b.width()); x++, n++) sum += v[y * cols + x];
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Composites text (alpha mask, ink level 0..1, colour per channel) over the background into a DICOM image. */
    private static AttributeList image(double[] base, byte[] alpha, int rows, int cols, Format format, double[] colour, double ink)
            throws DicomException {
        AttributeList l = new AttributeList();
        uid(l, TagFromName.TransferSyntaxUID, TransferSyntax.ExplicitVRLittleEndian);
        uid(l, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        cs(l, TagFromName.Modality, "OT");
        us(l, TagFromName.Rows, rows);
        us(l, TagFromName.Columns, cols);
        int spp = format == Format.RGB ? 3 : 1, bits = format == Format.MONO16 || format == Format.MONO1_16 ? 16 : 8;
        us(l, TagFromName.SamplesPerPixel, spp);
        us(l, TagFromName.BitsAllocated, bits);
        us(l, TagFromName.BitsStored, bits == 16 ? 12 : 8);
        us(l, TagFromName.HighBit, bits == 16 ? 11 : 7);
        us(l, TagFromName.PixelRepresentation, 0);
        cs(l, TagFromName.PhotometricInterpretation, format == Format.RGB ? "RGB" : format == Format.MONO1_16 ? "MONOCHROME1" : "MONOCHROME2");
        if (spp == 3) us(l, TagFromName.PlanarConfiguration, 0);
        int n = rows * cols, max = bits == 16 ? 4095 : 255;
        if (bits == 16) {
            short[] s = new short[n];
            for (int i = 0; i < n; i++) {
                double v = mix(base[i], alpha, i, ink);
                if (format == Format.MONO1_16) v = 1 - v; // MONOCHROME1: low values are white
                s[i] = (short) Math.round(v * max);
            }
            OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
            a.setValues(s);
            l.put(a);
        } else {
            byte[] b = new byte[n * spp];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < spp; c++) {
                    double inkC = spp == 3 ? ink * colour[c] : ink;
                    b[i * spp + c] = (byte) Math.round(mix(base[i], alpha, i, inkC) * max);
                }
            }
            OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
            a.setValues(b);
            l.put(a);
        }
        return l;
    }

    private static double mix(double under, byte[] alpha, int i, double ink) {
        if (alpha == null) return under;
        double a = (alpha[i] & 0xff) / 255.0;
        return under * (1 - a) + ink * a;
    }

    private static void uid(AttributeList l, AttributeTag t, String v) throws DicomException {
        Attribute a = new UniqueIdentifierAttribute(t);
        a.addValue(v);
        l.put(a);
    }

    private static void cs(AttributeList l, AttributeTag t, String v) throws DicomException {
        Attribute a = new CodeStringAttribute(t);
        a.addValue(v);
        l.put(a);
    }

    private static void us(AttributeList l, AttributeTag t, int v) throws DicomException {
        Attribute a = new UnsignedShortAttribute(t);
        a.addValue(v);
        l.put(a);
    }
}

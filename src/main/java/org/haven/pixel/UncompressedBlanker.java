package org.haven.pixel;

import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * Sets the pixels inside boxes to the blank value of an uncompressed Pixel Data attribute: black, i.e. the lowest
 * stored value for MONOCHROME2, the highest for MONOCHROME1, 0 for RGB, Y=0 with neutral chroma for YBR_FULL and
 * YBR_FULL_422 (whole pixel pairs), the darkest palette entry for PALETTE COLOR.
 */
final class UncompressedBlanker {

    private UncompressedBlanker() {}

    /** Sample store over OB bytes, OW words, or 8-bit samples packed two per OW word (first in the low byte). */
    interface Samples {
        void set(long index, int value);

        int get(long index);

        long length();
    }

    static Samples samples(Attribute pd, PixelLayout l) throws UnsupportedPixelsException {
        try {
            if (pd instanceof OtherByteAttribute) {
                if (l.bitsAllocated() != 8) throw new UnsupportedPixelsException("OB pixel data with BitsAllocated " + l.bitsAllocated());
                byte[] b = pd.getByteValues();
                return new Samples() {
                    public void set(long i, int v) { b[(int) i] = (byte) v; }
                    public int get(long i) { return l.signed() ? b[(int) i] : b[(int) i] & 0xff; }
                    public long length() { return b.length; }
                };
            }
            if (pd instanceof OtherWordAttribute) {
                short[] s = pd.getShortValues();
                if (l.bitsAllocated() == 16) {
                    return new Samples() {
                        public void set(long i, int v) { s[(int) i] = (short) v; }
                        public int get(long i) { return l.signed() ? s[(int) i] : s[(int) i] & 0xffff; }
                        public long length() { return s.length; }
                    };
                }
                return new Samples() { // 8-bit samples in OW: first sample in the low byte of each word
                    public void set(long i, int v) {
                        int w = (int) (i >> 1);
                        int word = s[w] & 0xffff;
                        word = (i & 1) == 0 ? (word & 0xff00) | (v & 0xff) : (word & 0x00ff) | ((v & 0xff) << 8);
                        s[w] = (short) word;
                    }
                    public int get(long i) {
                        int word = s[(int) (i >> 1)] & 0xffff;
                        int v = (i & 1) == 0 ? word & 0xff : word >>> 8;
                        return l.signed() ? (byte) v : v;
                    }
                    public long length() { return (long) s.length * 2; }
                };
            }
        } catch (DicomException e) {
            throw new UnsupportedPixelsException("cannot read pixel values", e);
        }
        throw new UnsupportedPixelsException("pixel data held as " + pd.getClass().getSimpleName());
    }

    /** Writes the (possibly new) arrays back so attribute length and values agree. */
    static void store(Attribute pd) throws UnsupportedPixelsException {
        try {
            if (pd instanceof OtherByteAttribute) pd.setValues(pd.getByteValues());
            else if (pd instanceof OtherWordAttribute) pd.setValues(pd.getShortValues());
        } catch (DicomException e) {
            throw new UnsupportedPixelsException("cannot store pixel values", e);
        }
    }

    /**
     * Blanks in place. {@code perFrame.get(f)} are the boxes for frame f, already clipped to the image.
     * @return pixel positions blanked, summed over frames
     */
    static long blank(AttributeList list, PixelLayout l, List<List<Box>> perFrame) throws UnsupportedPixelsException {
        Attribute pd = list.get(TagFromName.PixelData);
        if (pd == null) throw new UnsupportedPixelsException("no Pixel Data");
        Samples s = samples(pd, l);
        long perFrameSamples = l.samplesPerFrame();
        long expected = perFrameSamples * l.frames();
        if (s.length() < expected) {
            throw new UnsupportedPixelsException("Pixel Data shorter than Rows x Columns x Samples x Frames");
        }
        if (s.length() > expected + 1) { // one pad byte to even length is normal; more means the header is wrong
            throw new UnsupportedPixelsException("Pixel Data longer than Rows x Columns x Samples x Frames ("
                    + l.photometric() + "): header and pixels disagree");
        }
        int[] fill = fill(list, l);
        String pi = l.photometric();
        long count = 0;
        for (int f = 0; f < l.frames(); f++) {
            long base = perFrameSamples * f;
            for (Box b : perFrame.get(f)) {
                if (pi.equals("YBR_FULL_422")) {
                    int x0 = b.x() & ~1, x1 = Math.min(l.columns(), (b.right() + 1) & ~1);
                    for (int y = b.y(); y < b.bottom(); y++) {
                        for (int x = x0; x < x1; x += 2) {
                            long i = base + ((long) y * l.columns() + x) * 2; // Y1 Y2 Cb Cr per pixel pair
                            s.set(i, fill[0]);
                            s.set(i + 1, fill[0]);
                            s.set(i + 2, fill[1]);
                            s.set(i + 3, fill[2]);
                        }
                    }
                } else if (l.samplesPerPixel() == 1) {
                    for (int y = b.y(); y < b.bottom(); y++) {
                        long row = base + (long) y * l.columns();
                        for (int x = b.x(); x < b.right(); x++) s.set(row + x, fill[0]);
                    }
                } else if (l.planarConfiguration() == 1) {
                    long plane = (long) l.rows() * l.columns();
                    for (int c = 0; c < 3; c++) {
                        for (int y = b.y(); y < b.bottom(); y++) {
                            long row = base + plane * c + (long) y * l.columns();
                            for (int x = b.x(); x < b.right(); x++) s.set(row + x, fill[c]);
                        }
                    }
                } else {
                    for (int y = b.y(); y < b.bottom(); y++) {
                        long row = base + (long) y * l.columns() * 3;
                        for (int x = b.x(); x < b.right(); x++) {
                            long i = row + x * 3L;
                            s.set(i, fill[0]);
                            s.set(i + 1, fill[1]);
                            s.set(i + 2, fill[2]);
                        }
                    }
                }
            }
            count += area(perFrame.get(f), l.columns(), l.rows());
        }
        store(pd);
        return count;
    }

    /** Number of distinct pixel positions covered by the boxes (boxes may overlap). */
    static long area(List<Box> boxes, int columns, int rows) {
        if (boxes.isEmpty()) return 0;
        if (boxes.size() == 1) return (long) boxes.get(0).width() * boxes.get(0).height();
        java.util.BitSet bits = new java.util.BitSet(rows * columns);
        for (Box b : boxes) {
            for (int y = b.y(); y < b.bottom(); y++) bits.set(y * columns + b.x(), y * columns + b.right());
        }
        return bits.cardinality();
    }

    /** Blank value per sample (component) for this photometric interpretation. */
    static int[] fill(AttributeList list, PixelLayout l) throws UnsupportedPixelsException {
        int bs = l.bitsStored();
        int min = l.signed() ? -(1 << (bs - 1)) : 0;
        int max = l.signed() ? (1 << (bs - 1)) - 1 : (1 << bs) - 1;
        int mid = l.signed() ? 0 : 1 << (bs - 1);
        switch (l.photometric()) {
            case "MONOCHROME2":
                return new int[] {min};
            case "MONOCHROME1":
                return new int[] {max};
            case "RGB":
                return new int[] {min, min, min};
            case "YBR_FULL":
            case "YBR_FULL_422":
                return new int[] {min, mid, mid};
            case "PALETTE COLOR":
                if (l.samplesPerPixel() != 1) break;
                return new int[] {darkestPaletteIndex(list, l)};
            default:
                break;
        }
        throw new UnsupportedPixelsException("PhotometricInterpretation " + l.photometric() + " with " + l.samplesPerPixel()
                + " samples not supported uncompressed");
    }

    /** Stored value whose palette colour is darkest; 0 when the palettes cannot be read. */
    static int darkestPaletteIndex(AttributeList list, PixelLayout l) {
        PaletteTables p = PaletteTables.of(list, l);
        return p == null ? 0 : p.darkestValue();
    }

}

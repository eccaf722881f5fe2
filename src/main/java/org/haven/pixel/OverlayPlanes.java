package org.haven.pixel;

import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * Overlay planes (groups 6000–601E, even): 1-bit bitmaps that viewers draw over the image, so text in them is
 * burned-in text as far as a reader of the released file is concerned. Two storage forms:
 * <ul>
 * <li>OverlayData (60xx,3000): bits packed from bit 0 of the first byte (OB) or word (OW), row by row, frames back
 *     to back without padding; placed at OverlayOrigin (60xx,0050, row\column, 1-based, may be negative);</li>
 * <li>embedded (retired in 2004, still found in old MR and CT): no OverlayData, OverlayBitsAllocated equals the
 *     pixel data's BitsAllocated and bit OverlayBitPosition of every pixel sample is the overlay, image-sized.</li>
 * </ul>
 * A multi-frame overlay (NumberOfFramesInOverlay) starts at image frame ImageFrameOrigin (1-based); a single-frame
 * overlay on a multi-frame image is treated as shown on every frame.
 */
final class OverlayPlanes {

    private OverlayPlanes() {}

    /**
     * One plane's geometry.
     * @param firstImageFrame 0-based image frame of the plane's first frame
     * @param embedded        stored in bit {@code bitPosition} of the pixel samples rather than in OverlayData
     */
    record Plane(int group, int rows, int columns, int originRow, int originColumn, int frames, int firstImageFrame,
                 boolean embedded, int bitPosition) {

        /** "6000" for messages and findings. */
        String name() { return String.format("%04X", group); }

        long bitsPerFrame() { return (long) rows * columns; }

        /** Image x of overlay column 0 (OverlayOrigin is 1-based). */
        int imageX() { return originColumn - 1; }

        int imageY() { return originRow - 1; }

        /** The image frames (0-based) overlay frame {@code k} is shown on. */
        int[] imageFrames(int k, int imageFrameCount) {
            if (frames == 1 && imageFrameCount > 1 && !embedded) {
                int[] all = new int[imageFrameCount];
                for (int i = 0; i < all.length; i++) all[i] = i;
                return all;
            }
            return new int[] {firstImageFrame + k};
        }
    }

    /** The declared planes: groups with OverlayData, or with OverlayRows and OverlayBitsAllocated &gt; 1 (embedded). */
    static List<Plane> of(AttributeList list) {
        List<Plane> out = new ArrayList<>();
        for (int g = 0x6000; g <= 0x601E; g += 2) {
            boolean data = list.get(new AttributeTag(g, 0x3000)) != null;
            int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, tag(g, TagFromName.OverlayBitsAllocated), 1);
            if (!data && (list.get(tag(g, TagFromName.OverlayRows)) == null || bitsAllocated <= 1)) continue;
            int rows = Attribute.getSingleIntegerValueOrDefault(list, tag(g, TagFromName.OverlayRows), 0);
            int cols = Attribute.getSingleIntegerValueOrDefault(list, tag(g, TagFromName.OverlayColumns), 0);
            int[] origin = origin(list, g);
            int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, tag(g, TagFromName.NumberOfFramesInOverlay), 1));
            int first = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, tag(g, TagFromName.ImageFrameOrigin), 1)) - 1;
            int bit = Attribute.getSingleIntegerValueOrDefault(list, tag(g, TagFromName.OverlayBitPosition), 0);
            if (!data) { // embedded: one overlay frame per image frame, at the image's origin
                frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
                first = 0;
                origin = new int[] {1, 1};
            }
            out.add(new Plane(g, rows, cols, origin[0], origin[1], frames, first, !data, bit));
        }
        return out;
    }

    private static AttributeTag tag(int group, AttributeTag in6000) { return new AttributeTag(group, in6000.getElement()); }

    private static int[] origin(AttributeList list, int g) {
        try {
            Attribute a = list.get(tag(g, TagFromName.OverlayOrigin));
            int[] v = a == null ? null : a.getIntegerValues();
            return v != null && v.length >= 2 ? new int[] {v[0], v[1]} : new int[] {1, 1};
        } catch (DicomException e) {
            return new int[] {1, 1};
        }
    }

    /** Bit access to one plane; {@link #store()} writes changes back into the list. */
    interface Bits {
        boolean get(int frame, int row, int column);

        void clear(int frame, int row, int column);

        /** True when any bit of overlay frame {@code frame} is set. */
        boolean anySet(int frame);

        void store() throws UnsupportedPixelsException;
    }

    /**
     * The plane's bits in {@code list}: OverlayData, or for an embedded plane the uncompressed Pixel Data.
     * @throws UnsupportedPixelsException when the data is shorter than the plane's geometry or the pixels are compressed
     */
    static Bits bits(AttributeList list, Plane p) throws UnsupportedPixelsException {
        if (p.rows() <= 0 || p.columns() <= 0) throw new UnsupportedPixelsException("overlay " + p.name() + " has no OverlayRows/OverlayColumns");
        return p.embedded() ? embedded(list, p) : separate(list, p);
    }

    private static Bits separate(AttributeList list, Plane p) throws UnsupportedPixelsException {
        Attribute a = list.get(new AttributeTag(p.group(), 0x3000));
        byte[] bytes;
        try {
            if (a instanceof OtherWordAttribute) {
                short[] s = a.getShortValues();
                bytes = new byte[s.length * 2];
                for (int i = 0; i < s.length; i++) { // pixel k is bit k%16 of word k/16: low byte first
                    bytes[2 * i] = (byte) s[i];
                    bytes[2 * i + 1] = (byte) (s[i] >> 8);
                }
            } else if (a instanceof OtherByteAttribute) {
                bytes = a.getByteValues();
            } else {
                throw new UnsupportedPixelsException("overlay " + p.name() + " data held as " + (a == null ? "nothing" : a.getClass().getSimpleName()));
            }
        } catch (DicomException e) {
            throw new UnsupportedPixelsException("cannot read overlay " + p.name(), e);
        }
        long total = p.bitsPerFrame() * p.frames();
        if ((long) bytes.length * 8 < total) throw new UnsupportedPixelsException("overlay " + p.name() + " data shorter than rows x columns x frames");
        final byte[] b = bytes;
        return new Bits() {
            long index(int f, int r, int c) { return f * p.bitsPerFrame() + (long) r * p.columns() + c; }

            public boolean get(int f, int r, int c) {
                long k = index(f, r, c);
                return (b[(int) (k >> 3)] >> (k & 7) & 1) != 0;
            }

            public void clear(int f, int r, int c) {
                long k = index(f, r, c);
                b[(int) (k >> 3)] &= (byte) ~(1 << (k & 7));
            }

            public boolean anySet(int f) {
                long from = f * p.bitsPerFrame(), to = from + p.bitsPerFrame();
                for (long k = from; k < to; k++) {
                    if ((k & 7) == 0 && k + 8 <= to) { // whole byte
                        if (b[(int) (k >> 3)] != 0) return true;
                        k += 7;
                    } else if ((b[(int) (k >> 3)] >> (k & 7) & 1) != 0) {
                        return true;
                    }
                }
                return false;
            }

            public void store() throws UnsupportedPixelsException {
                try {
                    if (a instanceof OtherWordAttribute) {
                        short[] s = new short[b.length / 2];
                        for (int i = 0; i < s.length; i++) s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] & 0xff) << 8);
                        a.setValues(s);
                    } else {
                        a.setValues(b);
                    }
                } catch (DicomException e) {
                    throw new UnsupportedPixelsException("cannot write overlay " + p.name(), e);
                }
            }
        };
    }

    private static Bits embedded(AttributeList list, Plane p) throws UnsupportedPixelsException {
        Attribute pd = list.get(TagFromName.PixelData);
        if (!(pd instanceof OtherByteAttribute) && !(pd instanceof OtherWordAttribute)) {
            throw new UnsupportedPixelsException("overlay " + p.name() + " is embedded in compressed or missing pixel data");
        }
        PixelLayout l = PixelLayout.of(list);
        if (l.samplesPerPixel() != 1 || p.bitPosition() < 0 || p.bitPosition() >= l.bitsAllocated()) {
            throw new UnsupportedPixelsException("overlay " + p.name() + " embedded in bit " + p.bitPosition() + " of " + l.bitsAllocated()
                + "-bit, " + l.samplesPerPixel() + "-sample pixels");
        }
        UncompressedBlanker.Samples s = UncompressedBlanker.samples(pd, l);
        if (s.length() < l.samplesPerFrame() * l.frames()) throw new UnsupportedPixelsException("Pixel Data shorter than its frames");
        int mask = 1 << p.bitPosition();
        int rows = Math.min(p.rows(), l.rows()), cols = Math.min(p.columns(), l.columns());
        return new Bits() {
            long index(int f, int r, int c) { return f * l.samplesPerFrame() + (long) r * l.columns() + c; }

            public boolean get(int f, int r, int c) {
                return r < rows && c < cols && (s.get(index(f, r, c)) & mask) != 0;
            }

            public void clear(int f, int r, int c) {
                if (r < rows && c < cols) s.set(index(f, r, c), s.get(index(f, r, c)) & ~mask);
            }

            public boolean anySet(int f) {
                for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) if (get(f, r, c)) return true;
                return false;
            }

            public void store() throws UnsupportedPixelsException { UncompressedBlanker.store(pd); }
        };
    }

    /** True when some plane has a set bit in some frame (embedded planes need the pixel data in {@code list}). */
    static boolean anyContent(AttributeList list, Plane p) throws UnsupportedPixelsException {
        Bits b = bits(list, p);
        for (int f = 0; f < p.frames(); f++) if (b.anySet(f)) return true;
        return false;
    }

    /**
     * Clears the overlay bits under the boxes, frame by frame: what a rule blanks in the pixels is blanked in every
     * overlay drawn over them too. {@code perFrame.get(f)} are the image boxes of image frame f (0-based).
     * @return overlay bits cleared
     */
    static long clear(AttributeList list, List<List<Box>> perFrame) throws UnsupportedPixelsException {
        long cleared = 0;
        for (Plane p : of(list)) {
            Bits b = bits(list, p);
            long before = cleared;
            for (int k = 0; k < p.frames(); k++) {
                for (int f : p.imageFrames(k, perFrame.size())) {
                    if (f < 0 || f >= perFrame.size()) continue;
                    for (Box box : perFrame.get(f)) cleared += clearBox(b, p, k, box);
                }
            }
            if (cleared > before) b.store();
        }
        return cleared;
    }

    private static long clearBox(Bits b, Plane p, int k, Box imageBox) {
        // image box → overlay coordinates, clipped to the overlay
        Box in = new Box(imageBox.x() - p.imageX(), imageBox.y() - p.imageY(), imageBox.width(), imageBox.height()).clip(p.columns(), p.rows());
        if (in == null) return 0;
        long n = 0;
        for (int r = in.y(); r < in.bottom(); r++) {
            for (int c = in.x(); c < in.right(); c++) {
                if (b.get(k, r, c)) {
                    b.clear(k, r, c);
                    n++;
                }
            }
        }
        return n;
    }
}

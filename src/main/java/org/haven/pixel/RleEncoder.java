package org.haven.pixel;

import java.io.ByteArrayOutputStream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.TagFromName;

/**
 * DICOM RLE encoder (PS3.5 Annex G): one segment per byte plane (sample by sample, most significant byte first),
 * each PackBits-coded and padded to even length, behind a 64-byte header of segment count and offsets.
 */
final class RleEncoder {

    private RleEncoder() {}

    /** Encodes uncompressed pixel data (OB/OW as laid out by {@code l}) into one RLE fragment per frame. */
    static OtherByteAttributeMultipleCompressedFrames encode(Attribute uncompressed, PixelLayout l) throws UnsupportedPixelsException {
        if (l.photometric().equals("YBR_FULL_422")) throw new UnsupportedPixelsException("RLE cannot hold YBR_FULL_422");
        UncompressedBlanker.Samples s = UncompressedBlanker.samples(uncompressed, l);
        int spp = l.samplesPerPixel();
        int bytesPerSample = l.bitsAllocated() / 8;
        int segments = spp * bytesPerSample;
        if (segments > 15) throw new UnsupportedPixelsException("too many RLE segments");
        int pixels = l.rows() * l.columns();
        long perFrame = l.samplesPerFrame();
        byte[][] frames = new byte[l.frames()][];
        byte[] plane = new byte[pixels];
        for (int f = 0; f < l.frames(); f++) {
            long base = perFrame * f;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int[] offsets = new int[15];
            int seg = 0;
            for (int c = 0; c < spp; c++) {
                for (int b = bytesPerSample - 1; b >= 0; b--) {
                    int shift = 8 * b;
                    for (int p = 0; p < pixels; p++) {
                        long idx = spp == 1 ? base + p
                                : l.planarConfiguration() == 1 ? base + (long) c * pixels + p : base + (long) p * 3 + c;
                        plane[p] = (byte) (s.get(idx) >> shift);
                    }
                    offsets[seg++] = 64 + body.size();
                    packBits(plane, body);
                    if ((body.size() & 1) != 0) body.write(0);
                }
            }
            byte[] data = body.toByteArray();
            byte[] frame = new byte[64 + data.length];
            putInt(frame, 0, segments);
            for (int i = 0; i < 15; i++) putInt(frame, 4 + 4 * i, i < segments ? offsets[i] : 0);
            System.arraycopy(data, 0, frame, 64, data.length);
            frames[f] = frame;
        }
        return new OtherByteAttributeMultipleCompressedFrames(TagFromName.PixelData, frames);
    }

    /** PackBits: runs of 2–128 equal bytes as (1-n, byte); other bytes as literal groups of up to 128 (n-1, bytes). */
    static void packBits(byte[] in, ByteArrayOutputStream out) {
        int i = 0, n = in.length;
        while (i < n) {
            int run = 1;
            while (i + run < n && run < 128 && in[i + run] == in[i]) run++;
            if (run >= 2) {
                out.write(1 - run);
                out.write(in[i]);
                i += run;
            } else {
                int start = i++;
                while (i < n && i - start < 128 && !(i + 1 < n && in[i] == in[i + 1])) i++;
                out.write(i - start - 1);
                out.write(in, start, i - start);
            }
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }
}

package org.haven.pixel;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/**
 * PALETTE COLOR lookup tables (plain or segmented, PS3.3 C.7.9), as 0–255 luminance per table entry: for choosing
 * the blank value (darkest entry) and for rendering palette images for OCR.
 */
final class PaletteTables {

    // not in PixelMed's TagFromName
    static final AttributeTag SEGMENTED_RED = new AttributeTag(0x0028, 0x1221);
    static final AttributeTag SEGMENTED_GREEN = new AttributeTag(0x0028, 0x1222);
    static final AttributeTag SEGMENTED_BLUE = new AttributeTag(0x0028, 0x1223);

    final int firstValueMapped;
    final int[] luminance;

    private PaletteTables(int first, int[] luminance) {
        this.firstValueMapped = first;
        this.luminance = luminance;
    }

    /** Tables of this dataset, or null when they are missing or unreadable. */
    static PaletteTables of(AttributeList list, PixelLayout l) {
        try {
            int[] desc = ints(list, TagFromName.RedPaletteColorLookupTableDescriptor);
            if (desc == null || desc.length < 3) return null;
            int entries = desc[0] == 0 ? 65536 : desc[0] & 0xffff;
            int first = desc[1] & 0xffff;
            if (l.signed() && first > Short.MAX_VALUE) first -= 65536;
            int bits = desc[2];
            int[] r = table(list, TagFromName.RedPaletteColorLookupTableData, SEGMENTED_RED, entries, bits);
            int[] g = table(list, TagFromName.GreenPaletteColorLookupTableData, SEGMENTED_GREEN, entries, bits);
            int[] b = table(list, TagFromName.BluePaletteColorLookupTableData, SEGMENTED_BLUE, entries, bits);
            if (r == null || g == null || b == null) return null;
            int n = Math.min(r.length, Math.min(g.length, b.length));
            int[] lum = new int[n];
            for (int i = 0; i < n; i++) lum[i] = Math.min(255, (299 * r[i] + 587 * g[i] + 114 * b[i]) / 1000);
            return new PaletteTables(first, lum);
        } catch (DicomException | RuntimeException e) {
            return null;
        }
    }

    /** Stored value of the darkest entry (the first such entry). */
    int darkestValue() {
        int best = 0;
        for (int i = 1; i < luminance.length; i++) if (luminance[i] < luminance[best]) best = i;
        return firstValueMapped + best;
    }

    /** Luminance of a stored value (values outside the table take its first/last entry, as the standard says). */
    int luminanceOf(int stored) {
        int i = stored - firstValueMapped;
        return luminance[Math.max(0, Math.min(luminance.length - 1, i))];
    }

    /** One colour's table scaled to 0–255. */
    private static int[] table(AttributeList list, AttributeTag plainTag, AttributeTag segmentedTag, int entries, int bits) throws DicomException {
        Attribute plain = list.get(plainTag), segmented = list.get(segmentedTag);
        int[] raw;
        if (plain != null) {
            short[] w = plain.getShortValues();
            if (bits == 8 && w.length * 2 == entries) { // 8-bit entries packed two per word, first in the low byte
                raw = new int[entries];
                for (int i = 0; i < entries; i++) raw[i] = (w[i >> 1] >> (8 * (i & 1))) & 0xff;
            } else {
                raw = new int[w.length];
                for (int i = 0; i < w.length; i++) raw[i] = w[i] & 0xffff;
            }
        } else if (segmented != null) {
            raw = expandSegmented(segmented.getShortValues(), entries);
        } else {
            return null;
        }
        int max = 0;
        for (int v : raw) max = Math.max(max, v);
        int shift = bits > 8 || max > 255 ? 8 : 0; // 16-bit entries; some 8-bit descriptors hold 16-bit values
        for (int i = 0; i < raw.length; i++) raw[i] = raw[i] >> shift;
        return raw;
    }

    /** Segmented palette data: discrete (0), linear (1) and indirect (2) segments. */
    static int[] expandSegmented(short[] data, int entries) {
        int[] out = new int[entries];
        int n = expand(data, 0, data.length, out, 0, 0);
        if (n < entries) java.util.Arrays.fill(out, n, entries, n > 0 ? out[n - 1] : 0);
        return out;
    }

    private static int expand(short[] d, int from, int to, int[] out, int pos, int depth) {
        int i = from;
        while (i + 1 < to && pos < out.length) {
            int op = d[i] & 0xffff, len = d[i + 1] & 0xffff;
            if (op == 0) { // discrete
                for (int k = 0; k < len && pos < out.length && i + 2 + k < to; k++) out[pos++] = d[i + 2 + k] & 0xffff;
                i += 2 + len;
            } else if (op == 1) { // linear from the previous value to y1 over len entries
                int y0 = pos > 0 ? out[pos - 1] : 0, y1 = d[i + 2] & 0xffff;
                for (int k = 1; k <= len && pos < out.length; k++) out[pos++] = y0 + (int) Math.round((y1 - y0) * (double) k / len);
                i += 3;
            } else if (op == 2 && depth == 0) { // indirect: re-run len segments starting at a word offset
                long offset = (d[i + 2] & 0xffffL) | ((d[i + 3] & 0xffffL) << 16);
                int start = (int) offset;
                int j = start;
                for (int s = 0; s < len && j + 1 < d.length; s++) {
                    int sop = d[j] & 0xffff, slen = d[j + 1] & 0xffff;
                    int next = sop == 0 ? j + 2 + slen : sop == 1 ? j + 3 : j + 4;
                    pos = expand(d, j, next, out, pos, depth + 1);
                    j = next;
                }
                i += 4;
            } else {
                break; // unknown opcode: stop, pad with the last value
            }
        }
        return pos;
    }

    private static int[] ints(AttributeList list, AttributeTag tag) throws DicomException {
        Attribute a = list.get(tag);
        return a == null ? null : a.getIntegerValues();
    }
}

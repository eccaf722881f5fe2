package org.haven.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Walks the element structure of a DICOM file (tags, VRs, lengths, items, delimiters) without reading values, and
 * finds the PixelData element. PixelMed is lenient: it logs and carries on past lengths that run off the end of the
 * file or VRs that do not match the transfer syntax. Haven must fail closed, so every file is walked strictly first;
 * the same walk gives the offsets that let the de-identifier copy pixel data without loading it.
 */
public final class DicomStructure {
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int MAX_DEPTH = 32;
    /** Any value but PixelData larger than this is refused: the header is parsed into memory. */
    static final long MAX_HEADER_VALUE = 256L * 1024 * 1024;
    private static final Set<String> VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT",
        "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR",
        "US", "UT", "UV");
    private static final Set<String> LONG_LENGTH_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
        "UR", "UT", "UV");

    private final Reader in;
    private final long length;
    private boolean explicit;
    private boolean bigEndian;
    private long pixelStart = -1;
    private long pixelEnd = -1;
    private boolean encapsulated;
    private boolean onlyPaddingAfterPixelData = true;

    private DicomStructure(FileChannel channel) throws IOException {
        this.in = new Reader(channel);
        this.length = channel.size();
    }

    /** Walks a file; throws with a reason naming the offset and tag when its structure is broken. */
    public static DicomLayout walk(Path file) throws UnreadableDicomException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new DicomStructure(ch).walk();
        } catch (IOException e) {
            throw new UnreadableDicomException("cannot read file: " + e.getClass().getSimpleName());
        }
    }

    private DicomLayout walk() throws IOException, UnreadableDicomException {
        if (length < 8) throw new UnreadableDicomException("not DICOM: file is " + length + " bytes");
        boolean meta = length >= 132 && "DICM".equals(in.ascii(128, 4));
        long pos;
        String ts;
        if (meta) {
            MetaResult m = readMeta();
            pos = m.end;
            ts = m.transferSyntax;
            if (ts.isEmpty()) throw new UnreadableDicomException("file meta has no TransferSyntaxUID (0002,0010)");
            if (!TransferSyntaxes.isKnown(ts)) throw new UnsupportedTransferSyntaxException(ts);
        } else {
            ts = guessRawTransferSyntax();
            pos = 0;
        }
        explicit = TransferSyntaxes.isExplicit(ts);
        bigEndian = TransferSyntaxes.isBigEndian(ts);
        boolean deflated = TransferSyntaxes.isDeflated(ts);
        if (!deflated) {
            if (pos >= length) throw new UnreadableDicomException("empty data set: file meta only");
            walkDataSet(pos, length, 0, explicit, true);
            if (encapsulated != TransferSyntaxes.isEncapsulated(ts) && pixelStart >= 0) {
                throw new UnreadableDicomException("PixelData " + (encapsulated ? "encapsulated" : "native")
                    + " but transfer syntax " + ts + " says otherwise");
            }
        }
        return new DicomLayout(meta, ts, explicit, bigEndian, deflated, pixelStart, pixelEnd, encapsulated, length,
            pixelStart >= 0 && onlyPaddingAfterPixelData, metaGroupLengthMissing, encapsulatedIcon);
    }

    private boolean metaGroupLengthMissing;
    private boolean encapsulatedIcon;

    private record MetaResult(long end, String transferSyntax) {}

    private MetaResult readMeta() throws IOException, UnreadableDicomException {
        long pos = 132;
        int tag = in.tag(pos, false);
        // no (0002,0000): the group is walked element by element instead (a repair: the writer adds the length)
        metaGroupLengthMissing = tag != 0x00020000;
        String ts = "";
        long end = -1;
        while (pos + 8 <= length) {
            tag = in.tag(pos, false);
            if ((tag >>> 16) != 0x0002) break;
            String vr = in.ascii(pos + 4, 2);
            if (!VRS.contains(vr)) throw new UnreadableDicomException("file meta element " + tagText(tag) + " has invalid VR at offset " + pos);
            long headerLen = LONG_LENGTH_VRS.contains(vr) ? 12 : 8;
            long len = LONG_LENGTH_VRS.contains(vr) ? in.u32(pos + 8, false) : in.u16(pos + 6, false);
            long valueStart = pos + headerLen;
            if (len == UNDEFINED || valueStart + len > length) throw new UnreadableDicomException("file meta element " + tagText(tag) + " length exceeds file");
            if (tag == 0x00020000) end = valueStart + 4 + in.u32(valueStart, false);
            if (tag == 0x00020010) ts = in.ascii(valueStart, (int) len).replace("\0", "").trim();
            pos = valueStart + len;
        }
        if (!metaGroupLengthMissing && end != pos) throw new UnreadableDicomException("file meta group length says " + end + " but the group ends at " + pos);
        return new MetaResult(pos, ts);
    }

    /** Raw data set without preamble: explicit if the bytes after the first tag look like a VR. */
    private String guessRawTransferSyntax() throws IOException, UnreadableDicomException {
        int group = in.u16(0, false);
        if (group == 0 || group > 0x0040 || (group & 1) == 1) {
            throw new UnreadableDicomException("not DICOM: no DICM preamble and no plausible first element");
        }
        return VRS.contains(in.ascii(4, 2)) ? TransferSyntaxes.EXPLICIT_LE : TransferSyntaxes.IMPLICIT_LE;
    }

    /**
     * Walks elements from {@code pos} to {@code end} (or to an item delimiter when {@code end} is -1 for an
     * undefined-length item). Returns the offset after the last element consumed.
     */
    private long walkDataSet(long pos, long end, int depth, boolean explicitVr, boolean topLevel) throws IOException, UnreadableDicomException {
        if (depth > MAX_DEPTH) throw new UnreadableDicomException("sequences nested deeper than " + MAX_DEPTH);
        long limit = end < 0 ? length : end;
        int previous = -1;
        while (pos < limit) {
            if (pos + 8 > length) throw new UnreadableDicomException("truncated element header at offset " + pos);
            int tag = in.tag(pos, bigEndian);
            if (tag == ITEM_END) {
                if (end >= 0) throw new UnreadableDicomException("item delimiter inside a defined-length item at offset " + pos);
                return pos + 8;
            }
            if (tag == ITEM || tag == SEQUENCE_END) throw new UnreadableDicomException("unexpected delimiter " + tagText(tag) + " at offset " + pos);
            if (topLevel && Integer.compareUnsigned(tag, previous) <= 0 && previous != -1) {
                throw new UnreadableDicomException("elements out of order: " + tagText(tag) + " after " + tagText(previous) + " at offset " + pos);
            }
            previous = tag;
            if (topLevel && pixelStart >= 0 && tag != 0xFFFCFFFC) onlyPaddingAfterPixelData = false;
            String vr = null;
            long headerLen;
            long len;
            if (explicitVr) {
                vr = in.ascii(pos + 4, 2);
                if (!VRS.contains(vr)) {
                    throw new UnreadableDicomException("element " + tagText(tag) + " has invalid VR bytes at offset " + pos
                        + " (data set not encoded as its transfer syntax says?)");
                }
                if (LONG_LENGTH_VRS.contains(vr)) {
                    if (pos + 12 > length) throw new UnreadableDicomException("truncated element header at offset " + pos);
                    headerLen = 12;
                    len = in.u32(pos + 8, bigEndian);
                } else {
                    headerLen = 8;
                    len = in.u16(pos + 6, bigEndian);
                }
            } else {
                headerLen = 8;
                len = in.u32(pos + 4, bigEndian);
            }
            long valueStart = pos + headerLen;
            boolean isPixelData = topLevel && tag == PIXEL_DATA;
            if (len == UNDEFINED) {
                if (isPixelData) {
                    pos = walkFragments(valueStart);
                    pixelStart = valueStart - headerLen;
                    pixelEnd = pos;
                    encapsulated = true;
                    continue;
                }
                if (tag == PIXEL_DATA) {
                    // encapsulated pixel data inside an item: an Icon Image Sequence thumbnail (JPEG, JPEG 2000...).
                    // Walked like the image's own fragments; the icon is removed by de-identification (a repair).
                    pos = walkFragments(valueStart);
                    encapsulatedIcon = true;
                    continue;
                }
                if (explicitVr && !"SQ".equals(vr) && !"UN".equals(vr)) {
                    throw new UnreadableDicomException("element " + tagText(tag) + " VR " + vr + " has undefined length at offset " + pos);
                }
                // UN of undefined length is an implicit VR little endian sequence (PS3.5 6.2.2)
                boolean nestedExplicit = explicitVr && !"UN".equals(vr);
                pos = walkSequence(valueStart, -1, depth + 1, nestedExplicit);
                continue;
            }
            if (valueStart + len > limit) {
                String what = isPixelData ? "pixel data truncated" : "value of " + tagText(tag) + " runs past the end of its " + (topLevel ? "file" : "item");
                throw new UnreadableDicomException(what + " (length " + len + " at offset " + pos + ", " + (limit - valueStart) + " bytes left)");
            }
            if (!isPixelData && len > MAX_HEADER_VALUE) {
                throw new UnreadableDicomException("value of " + tagText(tag) + " is " + len + " bytes (more than " + MAX_HEADER_VALUE + " outside PixelData)");
            }
            if ("SQ".equals(vr)) walkSequence(valueStart, valueStart + len, depth + 1, explicitVr);
            if (isPixelData) {
                pixelStart = pos;
                pixelEnd = valueStart + len;
            }
            pos = valueStart + len;
        }
        if (end < 0) throw new UnreadableDicomException("undefined-length item has no item delimiter before end of file");
        return pos;
    }

    private long walkSequence(long pos, long end, int depth, boolean explicitVr) throws IOException, UnreadableDicomException {
        long limit = end < 0 ? length : end;
        while (pos < limit) {
            if (pos + 8 > length) throw new UnreadableDicomException("truncated sequence at offset " + pos);
            int tag = in.tag(pos, bigEndian);
            long len = in.u32(pos + 4, bigEndian);
            if (tag == SEQUENCE_END) {
                if (end >= 0) throw new UnreadableDicomException("sequence delimiter inside a defined-length sequence at offset " + pos);
                return pos + 8;
            }
            if (tag != ITEM) throw new UnreadableDicomException("expected an item in sequence at offset " + pos + ", found " + tagText(tag));
            if (len == UNDEFINED) {
                pos = walkDataSet(pos + 8, -1, depth, explicitVr, false);
            } else {
                if (pos + 8 + len > limit) throw new UnreadableDicomException("sequence item runs past the end of its sequence at offset " + pos);
                walkDataSet(pos + 8, pos + 8 + len, depth, explicitVr, false);
                pos = pos + 8 + len;
            }
        }
        if (end < 0) throw new UnreadableDicomException("undefined-length sequence has no delimiter before end of file");
        return pos;
    }

    /** Encapsulated pixel data: items of defined length, then a sequence delimiter. */
    private long walkFragments(long pos) throws IOException, UnreadableDicomException {
        while (true) {
            if (pos + 8 > length) throw new UnreadableDicomException("encapsulated pixel data truncated at offset " + pos);
            int tag = in.tag(pos, bigEndian);
            long len = in.u32(pos + 4, bigEndian);
            if (tag == SEQUENCE_END) return pos + 8;
            if (tag != ITEM || len == UNDEFINED) throw new UnreadableDicomException("bad pixel data fragment at offset " + pos);
            if (pos + 8 + len > length) throw new UnreadableDicomException("pixel data fragment truncated at offset " + pos);
            pos += 8 + len;
        }
    }

    static String tagText(int tag) {
        return TagText.of(tag);
    }

    /** Positional reads through a small block buffer: walking skips most bytes. */
    private static final class Reader {
        private final FileChannel ch;
        /** One block per thread, reused file after file (a walk reads only what it filled: blockStart, blockLen). */
        private static final ThreadLocal<ByteBuffer> BLOCKS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(16384));
        private final ByteBuffer block = BLOCKS.get();
        private long blockStart = -1;
        private int blockLen;

        Reader(FileChannel ch) { this.ch = ch; }

        /** The block's index of {@code pos}, with {@code n} bytes readable from there (absolute gets: no view per read). */
        private int at(long pos, int n) throws IOException {
            if (blockStart < 0 || pos < blockStart || pos + n > blockStart + blockLen) {
                block.clear();
                blockLen = 0;
                blockStart = pos;
                while (block.hasRemaining()) {
                    int r = ch.read(block, pos + blockLen);
                    if (r <= 0) break;
                    blockLen += r;
                }
                if (blockLen < n) throw new IOException("read past end of file");
            }
            return (int) (pos - blockStart);
        }

        int u16(long pos, boolean big) throws IOException {
            int i = at(pos, 2);
            return block.order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).getShort(i) & 0xFFFF;
        }

        long u32(long pos, boolean big) throws IOException {
            int i = at(pos, 4);
            return block.order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).getInt(i) & 0xFFFFFFFFL;
        }

        /** group in the high 16 bits, element in the low 16. */
        int tag(long pos, boolean big) throws IOException {
            return (u16(pos, big) << 16) | u16(pos + 2, big);
        }

        String ascii(long pos, int n) throws IOException {
            int i = at(pos, n);
            return new String(block.array(), i, n, StandardCharsets.ISO_8859_1); // a heap buffer: no copy first
        }
    }
}

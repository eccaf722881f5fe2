package org.haven.pixel;

import java.awt.Rectangle;
import java.awt.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Vector;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherByteAttributeCompressedSeparateFramesOnDisk;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFilesOnDisk;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.display.ImageEditUtilities;

/**
 * Blanks a rule's rectangles in a full dataset, in place, and clears the overlay bits (60xx planes, see
 * {@link OverlayPlanes}) under them.
 *
 * <p>By transfer syntax:
 * <ul>
 * <li>uncompressed (implicit/explicit little endian, big endian, deflated; 8/16 bits, signed or not, 1 or 3 samples,
 *     planar or interleaved, MONOCHROME1/2, RGB, YBR_FULL, YBR_FULL_422, PALETTE COLOR): edited in place;</li>
 * <li>JPEG baseline (1.2.840.10008.1.2.4.50): PixelMed {@code blackoutJPEGBlocks}; only the 8×8 blocks (MCUs) under
 *     the boxes are replaced (all DCT coefficients zero: a uniform mid-grey, 128, not black), the rest of the
 *     bitstream is untouched, so no new loss; frame-limited rectangles are applied to every frame;</li>
 * <li>RLE: decoded, blanked, re-encoded as RLE ({@link RleEncoder}); lossless;</li>
 * <li>JPEG lossless (…4.57, …4.70), JPEG 2000 (…4.90, …4.91) and 8-bit JPEG extended (…4.51): decoded, blanked
 *     and written uncompressed (Explicit VR Little Endian); no JPEG/J2K encoder is used, so no new loss, but the
 *     file grows (LossyImageCompression stays/becomes 01 for lossy sources);</li>
 * <li>anything else (JPEG extended 12-bit, JPEG-LS, HTJ2K, MPEG/HEVC video, pixel data PixelMed cannot decode):
 *     {@link UnsupportedPixelsException} → quarantine {@code pixels-unsupported}.</li>
 * </ul>
 * The dataset must hold its pixel data: read with {@code setDecompressPixelData(false)} to keep JPEG baseline
 * compressed. A list read with decompression is handled as uncompressed and its TransferSyntaxUID set to Explicit
 * VR Little Endian.
 */
public final class PixelRedactor {

    static final String EXPLICIT_LE = TransferSyntax.ExplicitVRLittleEndian;
    static final Set<String> DECODE_TO_UNCOMPRESSED = Set.of(
            TransferSyntax.JPEGLossless, TransferSyntax.JPEGLosslessSV1, TransferSyntax.JPEG2000Lossless, TransferSyntax.JPEG2000,
            TransferSyntax.JPEGExtended); // 8-bit only: PixelMed's decoder refuses 12-bit (→ unsupported)

    /**
     * Blanks the rule's rectangles (and, for {@code keep: ultrasound-regions}, everything outside the regions). An
     * Icon Image Sequence is removed as well: it is a thumbnail of the pixels before blanking.
     */
    public RedactionResult redact(AttributeList full, PixelRule rule) throws UnsupportedPixelsException {
        RedactionResult r = redactPixels(full, rule);
        // overlays are drawn over the pixels: their bits under the boxes go too (embedded ones live in the samples'
        // high bits, which the blank value need not clear, e.g. a sign-extended minimum)
        long overlayBits = r.boxes().isEmpty() ? 0 : OverlayPlanes.clear(full, boxesPerFrame(full, rule, PixelLayout.of(full)));
        boolean icon = full.remove(TagFromName.IconImageSequence) != null;
        return new RedactionResult(r.ruleId(), r.method(), r.transferSyntaxIn(), r.transferSyntaxOut(), r.frames(), r.boxes(),
                r.pixelsBlanked(), icon, overlayBits);
    }

    private RedactionResult redactPixels(AttributeList full, PixelRule rule) throws UnsupportedPixelsException {
        String ts = transferSyntax(full);
        PixelLayout layout = PixelLayout.of(full);
        Attribute pd = full.get(TagFromName.PixelData);
        if (pd == null) throw new UnsupportedPixelsException("no Pixel Data (FloatPixelData/DoubleFloatPixelData not handled)");

        List<List<Box>> perFrame = boxesPerFrame(full, rule, layout);
        List<Box> union = union(perFrame);
        if (union.isEmpty()) return new RedactionResult(rule.id(), RedactionResult.Method.NOTHING, ts, ts, layout.frames(), List.of(), 0, false);

        boolean compressedFrames = pd instanceof OtherByteAttributeMultipleCompressedFrames
                || pd instanceof OtherByteAttributeCompressedSeparateFramesOnDisk
                || pd instanceof OtherByteAttributeMultipleCompressedFilesOnDisk;
        TransferSyntax syntax = new TransferSyntax(ts);

        if (!compressedFrames) {
            if (syntax.isEncapsulated()) {
                // already decompressed when read: the list's transfer syntax no longer describes the pixel data
                decompressedOnRead(full, layout);
                layout = PixelLayout.of(full);
                long n = UncompressedBlanker.blank(full, layout, perFrame);
                setTransferSyntax(full, EXPLICIT_LE);
                return new RedactionResult(rule.id(), RedactionResult.Method.DECODED_UNCOMPRESSED, ts, EXPLICIT_LE, layout.frames(), union, n, false);
            }
            inMemory(full, pd);
            long n = UncompressedBlanker.blank(full, layout, perFrame);
            return new RedactionResult(rule.id(), RedactionResult.Method.UNCOMPRESSED, ts, ts, layout.frames(), union, n, false);
        }

        if (ts.equals(TransferSyntax.JPEGBaseline) && layout.bitsAllocated() == 8) {
            long n = jpegBlocks(full, union, layout);
            return new RedactionResult(rule.id(), RedactionResult.Method.JPEG_BLOCKS, ts, ts, layout.frames(), union, n, false);
        }
        if (ts.equals(TransferSyntax.RLE)) {
            AttributeList decoded = decode(full, ts);
            copyDecodedPixels(decoded, full);
            PixelLayout dl = PixelLayout.of(full);
            long n = UncompressedBlanker.blank(full, dl, perFrame);
            full.put(RleEncoder.encode(full.get(TagFromName.PixelData), dl));
            return new RedactionResult(rule.id(), RedactionResult.Method.RLE_REENCODED, ts, ts, dl.frames(), union, n, false);
        }
        if (DECODE_TO_UNCOMPRESSED.contains(ts)) {
            AttributeList decoded = decode(full, ts);
            copyDecodedPixels(decoded, full);
            PixelLayout dl = PixelLayout.of(full);
            long n = UncompressedBlanker.blank(full, dl, perFrame);
            setTransferSyntax(full, EXPLICIT_LE);
            return new RedactionResult(rule.id(), RedactionResult.Method.DECODED_UNCOMPRESSED, ts, EXPLICIT_LE, dl.frames(), union, n, false);
        }
        throw new UnsupportedPixelsException("transfer syntax " + ts + " (" + syntax.getDescription() + ") cannot be blanked safely");
    }

    // ------------------------------------------------------------------------------------------------------ boxes

    /** Boxes per frame (0-based), clipped to the image; a rule box entirely outside the image is dropped. */
    static List<List<Box>> boxesPerFrame(AttributeList h, PixelRule rule, PixelLayout l) throws UnsupportedPixelsException {
        List<Box> keepComplement = List.of();
        if (rule.keepUltrasoundRegions()) {
            List<Box> regions = ultrasoundRegions(h);
            if (regions.isEmpty()) {
                throw new UnsupportedPixelsException(UnsupportedPixelsException.PIXELS_UNVERIFIED,
                        "rule " + rule.id() + " keeps ultrasound regions but SequenceOfUltrasoundRegions is missing or empty", null);
            }
            keepComplement = complement(regions, l.columns(), l.rows());
        }
        List<List<Box>> out = new ArrayList<>(l.frames());
        for (int f = 0; f < l.frames(); f++) {
            List<Box> boxes = new ArrayList<>(keepComplement);
            for (PixelRule.Region r : rule.blank()) {
                if (!r.appliesTo(f)) continue;
                Box c = r.box().clip(l.columns(), l.rows());
                if (c != null) boxes.add(c);
            }
            out.add(boxes);
        }
        return out;
    }

    /** SequenceOfUltrasoundRegions as boxes (RegionLocationMaxX1/MaxY1 are inclusive), clipped to the image. */
    public static List<Box> ultrasoundRegions(AttributeList h) {
        List<Box> out = new ArrayList<>();
        Attribute a = h.get(TagFromName.SequenceOfUltrasoundRegions);
        if (!(a instanceof SequenceAttribute seq)) return out;
        int rows = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Columns, 0);
        for (int i = 0; i < seq.getNumberOfItems(); i++) {
            SequenceItem item = seq.getItem(i);
            AttributeList il = item.getAttributeList();
            long x0 = Attribute.getSingleLongValueOrDefault(il, TagFromName.RegionLocationMinX0, -1);
            long y0 = Attribute.getSingleLongValueOrDefault(il, TagFromName.RegionLocationMinY0, -1);
            long x1 = Attribute.getSingleLongValueOrDefault(il, TagFromName.RegionLocationMaxX1, -1);
            long y1 = Attribute.getSingleLongValueOrDefault(il, TagFromName.RegionLocationMaxY1, -1);
            if (x0 < 0 || y0 < 0 || x1 < x0 || y1 < y0) continue;
            Box b = new Box((int) x0, (int) y0, (int) (x1 - x0 + 1), (int) (y1 - y0 + 1)).clip(cols, rows);
            if (b != null) out.add(b);
        }
        return out;
    }

    /** Rectangles covering the image minus the given boxes (grid of all box edges; cells not covered are kept). */
    static List<Box> complement(List<Box> keep, int columns, int rows) {
        TreeSet<Integer> xs = new TreeSet<>(List.of(0, columns)), ys = new TreeSet<>(List.of(0, rows));
        for (Box b : keep) {
            xs.add(b.x()); xs.add(b.right());
            ys.add(b.y()); ys.add(b.bottom());
        }
        Integer[] xa = xs.toArray(new Integer[0]), ya = ys.toArray(new Integer[0]);
        List<Box> out = new ArrayList<>();
        for (int j = 0; j + 1 < ya.length; j++) {
            Box run = null;
            for (int i = 0; i + 1 < xa.length; i++) {
                Box cell = new Box(xa[i], ya[j], xa[i + 1] - xa[i], ya[j + 1] - ya[j]);
                boolean kept = keep.stream().anyMatch(k -> k.contains(cell));
                if (kept) {
                    if (run != null) { out.add(run); run = null; }
                } else {
                    run = run == null ? cell : new Box(run.x(), run.y(), cell.right() - run.x(), run.height());
                }
            }
            if (run != null) out.add(run);
        }
        return out;
    }

    private static List<Box> union(List<List<Box>> perFrame) {
        Set<Box> all = new LinkedHashSet<>();
        for (List<Box> f : perFrame) all.addAll(f);
        return new ArrayList<>(all);
    }

    // ------------------------------------------------------------------------------------------------ JPEG blocks

    private static long jpegBlocks(AttributeList full, List<Box> union, PixelLayout l) throws UnsupportedPixelsException {
        Vector<Shape> shapes = new Vector<>();
        for (Box b : union) shapes.add(new Rectangle(b.x(), b.y(), b.width(), b.height()));
        AttributeList copy = new AttributeList(); // shallow copy with File Meta: PixelMed reads the transfer syntax from it
        copy.putAll(full);
        File out = null;
        try {
            // PixelMed replaces in-memory compressed frames in the list it is given (returns null); for frames left
            // on disk it writes a temporary file and puts an attribute pointing into it
            out = ImageEditUtilities.blackoutJPEGBlocks(copy, shapes);
            Attribute pd = copy.get(TagFromName.PixelData);
            if (out != null || !(pd instanceof OtherByteAttributeMultipleCompressedFrames c) || c.getNumberOfFrames() != l.frames()) {
                throw new UnsupportedPixelsException("JPEG block blanking returned unexpected pixel data");
            }
            full.put(pd);
        } catch (UnsupportedPixelsException e) {
            throw e;
        } catch (Exception e) {
            throw new UnsupportedPixelsException("JPEG baseline block blanking failed: " + e.getClass().getSimpleName(), e);
        } finally {
            if (out != null) {
                try { Files.deleteIfExists(out.toPath()); } catch (IOException ignored) { /* temp file */ }
            }
        }
        return UncompressedBlanker.area(union, l.columns(), l.rows()) * l.frames();
    }

    // ----------------------------------------------------------------------------------------------------- decode

    /** Decodes compressed frames with PixelMed by writing the dataset to memory and reading it back decompressed. */
    static AttributeList decode(AttributeList full, String ts) throws UnsupportedPixelsException {
        AttributeList copy = datasetCopy(full);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DicomOutputStream out = new DicomOutputStream(bytes, null, ts)) {
                copy.write(out);
            }
            AttributeList decoded = new AttributeList();
            decoded.setDecompressPixelData(true);
            try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()), ts, false)) {
                decoded.read(in);
            }
            Attribute pd = decoded.get(TagFromName.PixelData);
            if (!(pd instanceof OtherByteAttribute) && !(pd instanceof OtherWordAttribute)) {
                throw new UnsupportedPixelsException("decoder left pixel data compressed (" + (pd == null ? "none" : pd.getClass().getSimpleName()) + ")");
            }
            return decoded;
        } catch (UnsupportedPixelsException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new UnsupportedPixelsException("cannot decode transfer syntax " + ts + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Moves decoded Pixel Data and the Image Pixel attributes that decoding changes into {@code full}. */
    private static void copyDecodedPixels(AttributeList decoded, AttributeList full) throws UnsupportedPixelsException {
        try {
            full.put(decoded.get(TagFromName.PixelData));
            String pi = decoded.getDecompressedPhotometricInterpretation();
            putCodeString(full, TagFromName.PhotometricInterpretation, pi);
            if (Attribute.getSingleIntegerValueOrDefault(full, TagFromName.SamplesPerPixel, 1) > 1) {
                // PixelMed returns colour frames pixel-interleaved (it builds them from BufferedImages)
                com.pixelmed.dicom.UnsignedShortAttribute pc = new com.pixelmed.dicom.UnsignedShortAttribute(TagFromName.PlanarConfiguration);
                pc.addValue(0);
                full.put(pc);
            }
            decoded.insertLossyImageCompressionHistoryIfDecompressed();
            for (var tag : List.of(TagFromName.LossyImageCompression, TagFromName.LossyImageCompressionRatio, TagFromName.LossyImageCompressionMethod)) {
                Attribute a = decoded.get(tag);
                if (a != null) full.put(a);
            }
        } catch (DicomException e) {
            throw new UnsupportedPixelsException("cannot update Image Pixel module after decoding", e);
        }
    }

    private static void decompressedOnRead(AttributeList full, PixelLayout l) throws UnsupportedPixelsException {
        try {
            putCodeString(full, TagFromName.PhotometricInterpretation, full.getDecompressedPhotometricInterpretation());
            full.insertLossyImageCompressionHistoryIfDecompressed();
        } catch (DicomException e) {
            throw new UnsupportedPixelsException("cannot update Image Pixel module after decoding", e);
        }
        inMemory(full, full.get(TagFromName.PixelData));
    }

    /** Replaces on-disk or frame-array pixel attributes by a plain in-memory OB/OW. */
    private static void inMemory(AttributeList full, Attribute pd) throws UnsupportedPixelsException {
        if (pd instanceof OtherByteAttribute || pd instanceof OtherWordAttribute) return;
        try {
            String vr = new String(pd.getVR());
            if (vr.equals("OB")) {
                OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
                a.setValues(pd.getByteValues());
                full.put(a);
            } else if (vr.equals("OW")) {
                OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
                a.setValues(pd.getShortValues());
                full.put(a);
            } else {
                throw new UnsupportedPixelsException("Pixel Data with VR " + vr);
            }
        } catch (DicomException e) {
            throw new UnsupportedPixelsException("cannot load pixel data into memory", e);
        }
    }

    // ------------------------------------------------------------------------------------------------------ misc

    static String transferSyntax(AttributeList full) {
        String ts = Attribute.getSingleStringValueOrEmptyString(full, TagFromName.TransferSyntaxUID).trim();
        return ts.isEmpty() ? TransferSyntax.ExplicitVRLittleEndian : ts;
    }

    private static void setTransferSyntax(AttributeList full, String ts) throws UnsupportedPixelsException {
        try {
            UniqueIdentifierAttribute a = new UniqueIdentifierAttribute(TagFromName.TransferSyntaxUID);
            a.addValue(ts);
            full.put(a);
        } catch (DicomException e) {
            throw new UnsupportedPixelsException("cannot set TransferSyntaxUID", e);
        }
    }

    private static void putCodeString(AttributeList l, com.pixelmed.dicom.AttributeTag tag, String v) throws DicomException {
        CodeStringAttribute a = new CodeStringAttribute(tag);
        a.addValue(v);
        l.put(a);
    }

    /** Shallow copy without File Meta Information (group 0002). */
    static AttributeList datasetCopy(AttributeList full) {
        AttributeList copy = new AttributeList();
        copy.putAll(full);
        copy.removeMetaInformationHeaderAttributes();
        return copy;
    }
}

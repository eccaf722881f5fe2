package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

/** Compressed corpus files: blank, decode both sides, compare inside and outside the boxes. */
class CompressedRedactionTest {

    private final PixelRedactor redactor = new PixelRedactor();

    /** Writes the dataset in {@code ts} and reads it back decompressed, as a downstream reader would. */
    private static AttributeList roundTripDecoded(AttributeList full, String ts) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bytes, null, ts)) {
            PixelRedactor.datasetCopy(full).write(out);
        }
        AttributeList back = new AttributeList();
        back.setDecompressPixelData(true);
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()), ts, false)) {
            back.read(in);
        }
        return back;
    }

    private interface PixelCheck {
        void check(int frame, int x, int y, int c, int before, int after);
    }

    private static void compare(AttributeList before, AttributeList after, PixelCheck check) throws Exception {
        PixelLayout lb = PixelLayout.of(before), la = PixelLayout.of(after);
        assertThat(la.rows()).isEqualTo(lb.rows());
        assertThat(la.columns()).isEqualTo(lb.columns());
        assertThat(la.frames()).isEqualTo(lb.frames());
        UncompressedBlanker.Samples sb = UncompressedBlanker.samples(before.get(TagFromName.PixelData), lb);
        UncompressedBlanker.Samples sa = UncompressedBlanker.samples(after.get(TagFromName.PixelData), la);
        int spp = la.samplesPerPixel();
        long plane = (long) la.rows() * la.columns();
        for (int f = 0; f < la.frames(); f++) {
            for (int y = 0; y < la.rows(); y++) {
                for (int x = 0; x < la.columns(); x++) {
                    for (int c = 0; c < spp; c++) {
                        long ib = f * plane * spp + index(lb, x, y, c), ia = f * plane * spp + index(la, x, y, c);
                        check.check(f, x, y, c, sb.get(ib), sa.get(ia));
                    }
                }
            }
        }
    }

    private static long index(PixelLayout l, int x, int y, int c) {
        long p = (long) y * l.columns() + x;
        if (l.samplesPerPixel() == 1) return p;
        return l.planarConfiguration() == 1 ? c * (long) l.rows() * l.columns() + p : p * 3 + c;
    }

    private static boolean in(Box b, int x, int y) { return x >= b.x() && x < b.right() && y >= b.y() && y < b.bottom(); }

    @Test
    void jpegBaselineBlanksBlocksAndKeepsTheRestOfTheBitstream() throws Exception {
        Path file = Synthetic.corpus("pydicom/test_files/examples_ybr_color.dcm");
        AttributeList full = Synthetic.read(file, false);
        PixelRule rule = PixelRules.load(Path.of("config/pixels")).match(full).orElseThrow();
        RedactionResult r = redactor.redact(full, rule);
        assertThat(r.method()).isEqualTo(RedactionResult.Method.JPEG_BLOCKS);
        assertThat(r.transferSyntaxOut()).isEqualTo(TransferSyntax.JPEGBaseline);
        assertThat(full.get(TagFromName.PixelData)).isInstanceOf(OtherByteAttributeMultipleCompressedFrames.class);

        AttributeList before = Synthetic.read(file, true);
        AttributeList after = roundTripDecoded(full, TransferSyntax.JPEGBaseline);
        Box box = new Box(0, 0, 96, 32);               // the rule's rectangle (already MCU-aligned)
        Box changedAtMost = new Box(0, 0, 96 + 16, 32 + 16); // chroma upsampling may touch one MCU around it
        int[] outsideChanged = {0}, insideBefore = {0}, range = {255, 0};
        compare(before, after, (f, x, y, c, b, a) -> {
            if (in(box, x, y)) {
                range[0] = Math.min(range[0], a);
                range[1] = Math.max(range[1], a);
                if (b > 40) insideBefore[0]++;
            } else if (!in(changedAtMost, x, y) && a != b) {
                outsideChanged[0]++;
            }
        });
        assertThat(insideBefore[0]).as("the name was there before").isPositive();
        // PixelMed zeroes the DCT coefficients of the blocks: a uniform mid-grey (128), not black
        assertThat(range).as("min/max inside: uniform grey").containsExactly(128, 128);
        assertThat(outsideChanged[0]).as("samples changed outside the blanked blocks").isZero();
    }

    @Test
    void rleIsDecodedBlankedAndReencodedLosslessly() throws Exception {
        for (String f : List.of("pydicom/test_files/SC_rgb_rle.dcm", "pydicom-data/OBXXXX1A_rle_2frame.dcm", "pydicom/test_files/MR_small_RLE.dcm")) {
            Path file = Synthetic.corpus(f);
            AttributeList full = Synthetic.read(file, false);
            Box box = new Box(10, 5, 30, 20);
            RedactionResult r = redactor.redact(full, Synthetic.rule("r", new PixelRule.Region(box, java.util.Set.of())));
            assertThat(r.method()).as(f).isEqualTo(RedactionResult.Method.RLE_REENCODED);
            assertThat(r.transferSyntaxOut()).isEqualTo(TransferSyntax.RLE);
            assertThat(full.get(TagFromName.PixelData)).isInstanceOf(OtherByteAttributeMultipleCompressedFrames.class);

            AttributeList before = Synthetic.read(file, true);
            AttributeList after = roundTripDecoded(full, TransferSyntax.RLE);
            int[] fill = UncompressedBlanker.fill(after, PixelLayout.of(after));
            int[] inside = {0}, outside = {0};
            compare(before, after, (fr, x, y, c, b, a) -> {
                if (in(box, x, y)) {
                    assertThat(a).as("%s inside (%d,%d,%d)", f, x, y, c).isEqualTo(fill[c]);
                    inside[0]++;
                } else {
                    assertThat(a).as("%s outside (%d,%d,%d)", f, x, y, c).isEqualTo(b);
                    outside[0]++;
                }
            });
            assertThat(inside[0]).isPositive();
            assertThat(outside[0]).isPositive();
        }
    }

    @Test
    void jpeg2000AndJpegLosslessAreDecodedAndWrittenUncompressed() throws Exception {
        AttributeList reference = Synthetic.read(Synthetic.corpus("pydicom/test_files/MR_small.dcm"), false);
        AttributeList full = Synthetic.read(Synthetic.corpus("pydicom/test_files/MR_small_jp2klossless.dcm"), false);
        Box box = new Box(0, 0, 20, 10);
        RedactionResult r = redactor.redact(full, Synthetic.rule("r", new PixelRule.Region(box, java.util.Set.of())));
        assertThat(r.method()).isEqualTo(RedactionResult.Method.DECODED_UNCOMPRESSED);
        assertThat(r.transferSyntaxOut()).isEqualTo(TransferSyntax.ExplicitVRLittleEndian);
        assertThat(Attribute.getSingleStringValueOrEmptyString(full, TagFromName.TransferSyntaxUID)).isEqualTo(TransferSyntax.ExplicitVRLittleEndian);
        int[] fill = UncompressedBlanker.fill(full, PixelLayout.of(full));
        compare(reference, full, (f, x, y, c, b, a) -> assertThat(a).isEqualTo(in(box, x, y) ? fill[0] : b));

        AttributeList jl = Synthetic.read(Synthetic.corpus("pydicom-data/JPGLosslessP14SV1_1s_1f_8b.dcm"), false);
        AttributeList jlBefore = Synthetic.read(Synthetic.corpus("pydicom-data/JPGLosslessP14SV1_1s_1f_8b.dcm"), true);
        r = redactor.redact(jl, Synthetic.rule("r", new PixelRule.Region(box, java.util.Set.of())));
        assertThat(r.method()).isEqualTo(RedactionResult.Method.DECODED_UNCOMPRESSED);
        compare(jlBefore, jl, (f, x, y, c, b, a) -> assertThat(a).isEqualTo(in(box, x, y) ? 0 : b));
    }

    @Test
    void undecodableSyntaxesAreRefused() throws Exception {
        for (String f : List.of("pydicom/test_files/MR_small_jpeg_ls_lossless.dcm", "pydicom/test_files/JPEG-lossy.dcm", "pydicom-data/HTJ2K_08_RGB.dcm")) {
            AttributeList full = Synthetic.read(Synthetic.corpus(f), false);
            UnsupportedPixelsException e = assertThrows(UnsupportedPixelsException.class,
                    () -> redactor.redact(full, Synthetic.rule("r", Synthetic.region(0, 0, 4, 4))), f);
            assertThat(e.reason()).isEqualTo("pixels-unsupported");
        }
    }

    @Test
    void listDecompressedOnReadIsBlankedAndRelabelled() throws Exception {
        AttributeList full = Synthetic.read(Synthetic.corpus("pydicom/test_files/examples_ybr_color.dcm"), true);
        AttributeList before = Synthetic.read(Synthetic.corpus("pydicom/test_files/examples_ybr_color.dcm"), true);
        Box box = new Box(0, 0, 96, 32);
        RedactionResult r = redactor.redact(full, Synthetic.rule("r", new PixelRule.Region(box, java.util.Set.of())));
        assertThat(r.method()).isEqualTo(RedactionResult.Method.DECODED_UNCOMPRESSED);
        assertThat(Attribute.getSingleStringValueOrEmptyString(full, TagFromName.PhotometricInterpretation)).isEqualTo("RGB");
        assertThat(Attribute.getSingleStringValueOrEmptyString(full, TagFromName.LossyImageCompression)).isEqualTo("01");
        compare(before, full, (f, x, y, c, b, a) -> assertThat(a).isEqualTo(in(box, x, y) ? 0 : b));
    }

    @Test
    void genericUltrasoundRuleKeepsOnlyTheRegions() throws Exception {
        Path file = Synthetic.corpus("pydicom-data/OBXXXX1A.dcm");
        AttributeList full = Synthetic.read(file, false);
        AttributeList before = Synthetic.read(file, false);
        PixelRule rule = PixelRules.load(Path.of("config/pixels")).match(full).orElseThrow();
        assertThat(rule.id()).isEqualTo("us-generic-regions");
        List<Box> regions = PixelRedactor.ultrasoundRegions(full);
        assertThat(regions).isNotEmpty();
        redactor.redact(full, rule);
        int[] fill = UncompressedBlanker.fill(full, PixelLayout.of(full));
        compare(before, full, (f, x, y, c, b, a) -> {
            boolean kept = regions.stream().anyMatch(k -> in(k, x, y));
            assertThat(a).isEqualTo(kept ? b : fill[c]);
        });
    }

    @Test
    void keepRegionsWithoutRegionsIsUnverified() throws Exception {
        AttributeList full = Synthetic.read(Synthetic.corpus("pydicom-data/US1_UNCR.dcm"), false);
        PixelRule keep = new PixelRule("k", Path.of("t.yaml"), 1, List.of(), List.of(), true, List.of(), false, false);
        UnsupportedPixelsException e = assertThrows(UnsupportedPixelsException.class, () -> redactor.redact(full, keep));
        assertThat(e.reason()).isEqualTo("pixels-unverified");
    }

    /** Reference values from pydicom's pixel tests: 8-bit RGB in OW, big endian, odd row length. */
    @Test
    void bigEndianEightBitRgbInOtherWordAddressesSamplesLikePydicom() throws Exception {
        AttributeList full = Synthetic.read(Synthetic.corpus("pydicom/test_files/SC_rgb_small_odd_big_endian.dcm"), false);
        PixelLayout l = PixelLayout.of(full);
        UncompressedBlanker.Samples s = UncompressedBlanker.samples(full.get(TagFromName.PixelData), l);
        assertThat(new int[] {s.get(0), s.get(1), s.get(2)}).containsExactly(166, 141, 52);   // (row 0, col 0)
        assertThat(new int[] {s.get(9), s.get(10), s.get(11)}).containsExactly(63, 87, 176);  // (row 1, col 0)
        assertThat(new int[] {s.get(24), s.get(25), s.get(26)}).containsExactly(158, 158, 158); // (row 2, col 2)
        redactor.redact(full, Synthetic.rule("r", Synthetic.region(0, 1, 1, 1)));
        AttributeList back = roundTripDecoded(full, TransferSyntax.ExplicitVRBigEndian);
        UncompressedBlanker.Samples b = UncompressedBlanker.samples(back.get(TagFromName.PixelData), PixelLayout.of(back));
        assertThat(new int[] {b.get(0), b.get(1), b.get(2), b.get(9), b.get(10), b.get(11), b.get(24)}).containsExactly(166, 141, 52, 0, 0, 0, 158);

        AttributeList us = Synthetic.read(Synthetic.corpus("pydicom/test_files/ExplVR_BigEnd.dcm"), false);
        UncompressedBlanker.Samples u = UncompressedBlanker.samples(us.get(TagFromName.PixelData), PixelLayout.of(us));
        assertThat(PixelLayout.of(us).planarConfiguration()).isEqualTo(1);
        long p = 9L * 80 + 5, plane = 60 * 80; // planar: R plane, G plane, B plane
        assertThat(new int[] {u.get(p), u.get(plane + p), u.get(2 * plane + p)}).containsExactly(255, 255, 0);
        assertThat(new int[] {u.get(p - 2), u.get(plane + p - 2), u.get(2 * plane + p - 2)}).containsExactly(171, 171, 171);
        redactor.redact(us, Synthetic.rule("r", Synthetic.region(5, 9, 1, 1)));
        AttributeList usBack = roundTripDecoded(us, TransferSyntax.ExplicitVRBigEndian);
        UncompressedBlanker.Samples ub = UncompressedBlanker.samples(usBack.get(TagFromName.PixelData), PixelLayout.of(usBack));
        assertThat(new int[] {ub.get(p), ub.get(plane + p), ub.get(2 * plane + p), ub.get(p - 1), ub.get(2 * plane + p - 2)})
                .containsExactly(0, 0, 0, 255, 171);
    }

    /** A box not on block boundaries: every pixel of it must be blank (blocks are rounded outwards, never inwards). */
    @Test
    void jpegBaselineUnalignedBoxIsCoveredCompletely() throws Exception {
        for (String f : List.of("pydicom/test_files/examples_ybr_color.dcm", "pydicom/test_files/SC_rgb_jpeg_dcmtk.dcm")) {
            Path file = Synthetic.corpus(f);
            AttributeList full = Synthetic.read(file, false);
            Box box = new Box(13, 21, 37, 11); // crosses 8x8 and 16x16 boundaries on every side
            RedactionResult r = redactor.redact(full, Synthetic.rule("r", new PixelRule.Region(box, java.util.Set.of())));
            assertThat(r.method()).as(f).isEqualTo(RedactionResult.Method.JPEG_BLOCKS);
            AttributeList before = Synthetic.read(file, true);
            AttributeList after = roundTripDecoded(full, TransferSyntax.JPEGBaseline);
            Box aligned = new Box(0, 16, 64, 32);  // box rounded out to 16x16 MCUs
            Box margin = new Box(0, 0, 64 + 16, 48 + 16);
            int[] insideNotGrey = {0}, outsideChanged = {0}, variedBefore = {0};
            compare(before, after, (fr, x, y, c, b, a) -> {
                if (in(box, x, y)) {
                    if (a != 128) insideNotGrey[0]++;
                    if (b != 128) variedBefore[0]++;
                } else if (!in(margin, x, y) && a != b) {
                    outsideChanged[0]++;
                }
            });
            assertThat(variedBefore[0]).as(f).isPositive();
            assertThat(insideNotGrey[0]).as("%s: samples in the box not blanked", f).isZero();
            assertThat(outsideChanged[0]).as("%s: samples changed away from the box", f).isZero();
            assertThat(aligned.contains(box)).isTrue();
        }
    }
}

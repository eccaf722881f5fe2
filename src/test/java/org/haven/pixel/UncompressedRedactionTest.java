package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

class UncompressedRedactionTest {

    private final PixelRedactor redactor = new PixelRedactor();

    /** Every sample of every pixel: blank inside the boxes of its frame, equal to the input outside. */
    private static void assertBlanked(AttributeList before, AttributeList after, List<List<Box>> perFrame, int[] fill) throws Exception {
        PixelLayout l = PixelLayout.of(after);
        UncompressedBlanker.Samples in = UncompressedBlanker.samples(before.get(TagFromName.PixelData), l);
        UncompressedBlanker.Samples out = UncompressedBlanker.samples(after.get(TagFromName.PixelData), l);
        int spp = l.samplesPerPixel();
        long plane = (long) l.rows() * l.columns();
        int inside = 0, outside = 0;
        for (int f = 0; f < l.frames(); f++) {
            for (int y = 0; y < l.rows(); y++) {
                for (int x = 0; x < l.columns(); x++) {
                    int fx = x, fy = y;
                    boolean blank = perFrame.get(f).stream().anyMatch(b -> fx >= b.x() && fx < b.right() && fy >= b.y() && fy < b.bottom());
                    for (int c = 0; c < spp; c++) {
                        long i = f * plane * spp + (spp == 1 ? (long) y * l.columns() + x
                                : l.planarConfiguration() == 1 ? c * plane + (long) y * l.columns() + x : ((long) y * l.columns() + x) * 3 + c);
                        if (blank) {
                            assertThat(out.get(i)).as("frame %d (%d,%d) sample %d inside", f, x, y, c).isEqualTo(fill[c]);
                            inside++;
                        } else {
                            assertThat(out.get(i)).as("frame %d (%d,%d) sample %d outside", f, x, y, c).isEqualTo(in.get(i));
                            outside++;
                        }
                    }
                }
            }
        }
        assertThat(inside).isPositive();
        assertThat(outside).isPositive();
    }

    private static AttributeList copyPixels(AttributeList l) throws Exception {
        AttributeList c = Synthetic.image(1, 1, 1, 1, 8, false, "MONOCHROME2", 0, false);
        c.putAll(l);
        var pd = l.get(TagFromName.PixelData);
        var copy = pd instanceof com.pixelmed.dicom.OtherByteAttribute ? new com.pixelmed.dicom.OtherByteAttribute(TagFromName.PixelData)
                : new com.pixelmed.dicom.OtherWordAttribute(TagFromName.PixelData);
        if (pd instanceof com.pixelmed.dicom.OtherByteAttribute) copy.setValues(pd.getByteValues().clone());
        else copy.setValues(pd.getShortValues().clone());
        c.put(copy);
        return c;
    }

    private static List<List<Box>> allFrames(int frames, Box... boxes) {
        return java.util.Collections.nCopies(frames, List.of(boxes));
    }

    @Test
    void eightBitMonochrome() throws Exception {
        AttributeList img = Synthetic.image(40, 50, 1, 1, 8, false, "MONOCHROME2", 0, false);
        AttributeList before = copyPixels(img);
        RedactionResult r = redactor.redact(img, Synthetic.rule("r", Synthetic.region(5, 3, 10, 7)));
        assertThat(r.method()).isEqualTo(RedactionResult.Method.UNCOMPRESSED);
        assertThat(r.pixelsBlanked()).isEqualTo(70);
        assertBlanked(before, img, allFrames(1, new Box(5, 3, 10, 7)), new int[] {0});
    }

    @Test
    void sixteenBitSignedAndBoxesClippedToImage() throws Exception {
        AttributeList img = Synthetic.image(32, 32, 1, 1, 16, true, "MONOCHROME2", 0, false);
        AttributeList before = copyPixels(img);
        RedactionResult r = redactor.redact(img, Synthetic.rule("r", Synthetic.region(20, 25, 100, 100)));
        assertThat(r.boxes()).containsExactly(new Box(20, 25, 12, 7));
        assertBlanked(before, img, allFrames(1, new Box(20, 25, 12, 7)), new int[] {-32768});
    }

    @Test
    void monochrome1BlanksToMaximum() throws Exception {
        AttributeList img = Synthetic.image(16, 16, 1, 1, 16, false, "MONOCHROME1", 0, false);
        AttributeList before = copyPixels(img);
        redactor.redact(img, Synthetic.rule("r", Synthetic.region(0, 0, 4, 4)));
        assertBlanked(before, img, allFrames(1, new Box(0, 0, 4, 4)), new int[] {65535});
    }

    @Test
    void rgbInterleavedAndPlanar() throws Exception {
        for (int planar : new int[] {0, 1}) {
            AttributeList img = Synthetic.image(20, 30, 1, 3, 8, false, "RGB", planar, false);
            AttributeList before = copyPixels(img);
            redactor.redact(img, Synthetic.rule("r", Synthetic.region(2, 4, 9, 5)));
            assertBlanked(before, img, allFrames(1, new Box(2, 4, 9, 5)), new int[] {0, 0, 0});
        }
    }

    @Test
    void eightBitSamplesPackedInOtherWord() throws Exception {
        AttributeList img = Synthetic.image(10, 11, 1, 1, 8, false, "MONOCHROME2", 0, true); // odd width: samples straddle words
        AttributeList before = copyPixels(img);
        redactor.redact(img, Synthetic.rule("r", Synthetic.region(3, 2, 5, 3)));
        assertBlanked(before, img, allFrames(1, new Box(3, 2, 5, 3)), new int[] {0});
    }

    @Test
    void multiFrameWithFrameSpecificRegion() throws Exception {
        AttributeList img = Synthetic.image(16, 16, 3, 1, 8, false, "MONOCHROME2", 0, false);
        AttributeList before = copyPixels(img);
        redactor.redact(img, Synthetic.rule("r", Synthetic.region(0, 0, 16, 2), Synthetic.region(8, 8, 4, 4, 2)));
        Box top = new Box(0, 0, 16, 2), mid = new Box(8, 8, 4, 4);
        assertBlanked(before, img, List.of(List.of(top), List.of(top, mid), List.of(top)), new int[] {0});
    }

    @Test
    void ybrFull422BlanksWholePixelPairs() throws Exception {
        AttributeList img = Synthetic.image(8, 8, 1, 1, 8, false, "MONOCHROME2", 0, false);
        byte[] px = new byte[8 * 8 * 2];
        java.util.Arrays.fill(px, (byte) 77);
        img.get(TagFromName.PixelData).setValues(px);
        Synthetic.us(img, TagFromName.SamplesPerPixel, 3);
        Synthetic.put(img, new com.pixelmed.dicom.CodeStringAttribute(TagFromName.PhotometricInterpretation), "YBR_FULL_422");
        redactor.redact(img, Synthetic.rule("r", Synthetic.region(3, 1, 2, 1))); // x 3..4 → pairs 2-3 and 4-5
        byte[] out = img.get(TagFromName.PixelData).getByteValues();
        int row = 1 * 8 * 2;
        assertThat(new byte[] {out[row + 4], out[row + 5], out[row + 6], out[row + 7]}).containsExactly(0, 0, (byte) 128, (byte) 128);
        assertThat(new byte[] {out[row + 8], out[row + 9], out[row + 10], out[row + 11]}).containsExactly(0, 0, (byte) 128, (byte) 128);
        assertThat(out[row + 0]).isEqualTo((byte) 77);
        assertThat(out[row + 12]).isEqualTo((byte) 77);
        assertThat(out[0]).isEqualTo((byte) 77);
    }

    @Test
    void survivesWriteAndReadInBigEndian() throws Exception {
        AttributeList img = Synthetic.image(12, 12, 1, 1, 16, false, "MONOCHROME2", 0, false);
        AttributeList before = copyPixels(img);
        redactor.redact(img, Synthetic.rule("r", Synthetic.region(1, 1, 3, 3)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AttributeList ds = PixelRedactor.datasetCopy(img);
        try (DicomOutputStream out = new DicomOutputStream(bytes, null, TransferSyntax.ExplicitVRBigEndian)) {
            ds.write(out);
        }
        AttributeList back = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()), TransferSyntax.ExplicitVRBigEndian, false)) {
            back.read(in);
        }
        assertBlanked(before, back, allFrames(1, new Box(1, 1, 3, 3)), new int[] {0});
    }

    @Test
    void truncatedPixelDataIsRefused() throws Exception {
        AttributeList img = Synthetic.image(10, 10, 1, 1, 8, false, "MONOCHROME2", 0, false);
        img.get(TagFromName.PixelData).setValues(new byte[50]);
        assertThrows(UnsupportedPixelsException.class, () -> redactor.redact(img, Synthetic.rule("r", Synthetic.region(0, 0, 2, 2))));
    }

    @Test
    void pixelDataLongerThanHeaderSaysIsRefused() throws Exception {
        // e.g. RGB data still labelled YBR_FULL_422 after a decompression that did not update the header
        AttributeList img = Synthetic.image(8, 8, 1, 3, 8, false, "RGB", 0, false);
        Synthetic.put(img, new com.pixelmed.dicom.CodeStringAttribute(TagFromName.PhotometricInterpretation), "YBR_FULL_422");
        assertThrows(UnsupportedPixelsException.class, () -> redactor.redact(img, Synthetic.rule("r", Synthetic.region(0, 0, 2, 2))));
    }

    @Test
    void ultrasoundRegionComplementCoversEverythingElse() {
        List<Box> keep = List.of(new Box(10, 10, 20, 20), new Box(25, 25, 10, 10));
        List<Box> blank = PixelRedactor.complement(keep, 50, 40);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                int fx = x, fy = y;
                boolean kept = keep.stream().anyMatch(b -> fx >= b.x() && fx < b.right() && fy >= b.y() && fy < b.bottom());
                long covering = blank.stream().filter(b -> fx >= b.x() && fx < b.right() && fy >= b.y() && fy < b.bottom()).count();
                assertThat(covering).as("(%d,%d)", x, y).isEqualTo(kept ? 0 : 1);
            }
        }
    }
}

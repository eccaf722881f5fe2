package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Uncompressed corpus files of every encoding: blank a box, check each sample against a second, untouched read. */
class CorpusUncompressedRedactionTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "pydicom/test_files/MR_small.dcm",            // 16-bit signed, explicit LE
            "pydicom/test_files/MR_small_bigendian.dcm",  // big endian
            "pydicom/test_files/MR_small_implicit.dcm",   // implicit VR
            "pydicom/test_files/image_dfl.dcm",           // deflated
            "pydicom-data/emri_small.dcm",                // multi-frame (10)
            "pydicom-data/gdcm-US-ALOKA-16.dcm",          // 16-bit palette colour
            "pydicom-data/US1_UNCR.dcm",                  // RGB
            "pydicom/test_files/CT_small.dcm"})
    void blanksInsideLeavesOutside(String file) throws Exception {
        Path p = Synthetic.corpus(file);
        AttributeList full = Synthetic.read(p, false), before = Synthetic.read(p, false);
        Box box = new Box(20, 26, 30, 20);
        RedactionResult r = new PixelRedactor().redact(full, Synthetic.rule("r", new PixelRule.Region(box, Set.of())));
        assertThat(r.method()).isEqualTo(RedactionResult.Method.UNCOMPRESSED);
        assertThat(r.transferSyntaxChanged()).isFalse();
        PixelLayout l = PixelLayout.of(full);
        assertThat(r.pixelsBlanked()).isEqualTo(30L * 20 * l.frames());
        int[] fill = UncompressedBlanker.fill(full, l);
        UncompressedBlanker.Samples a = UncompressedBlanker.samples(full.get(TagFromName.PixelData), l);
        UncompressedBlanker.Samples b = UncompressedBlanker.samples(before.get(TagFromName.PixelData), l);
        long plane = (long) l.rows() * l.columns();
        int spp = l.samplesPerPixel();
        long changedInside = 0;
        for (int f = 0; f < l.frames(); f++) {
            for (int y = 0; y < l.rows(); y++) {
                for (int x = 0; x < l.columns(); x++) {
                    boolean inside = x >= box.x() && x < box.right() && y >= box.y() && y < box.bottom();
                    for (int c = 0; c < spp; c++) {
                        long px = (long) y * l.columns() + x;
                        long i = f * plane * spp + (spp == 1 ? px : l.planarConfiguration() == 1 ? c * plane + px : px * 3 + c);
                        if (inside) {
                            assertThat(a.get(i)).as("%s inside", file).isEqualTo(fill[c]);
                            if (b.get(i) != fill[c]) changedInside++;
                        } else {
                            assertThat(a.get(i)).as("%s outside", file).isEqualTo(b.get(i));
                        }
                    }
                }
            }
        }
        assertThat(changedInside).as("%s: box was not already blank", file).isPositive();
    }

    @Test
    void paletteBlankIsTheDarkestEntry() throws Exception {
        // plain 8-bit-deep table: compare with PixelMed's own expansion
        AttributeList ob = Synthetic.read(Synthetic.corpus("pydicom-data/OBXXXX1A.dcm"), false);
        int fill = UncompressedBlanker.fill(ob, PixelLayout.of(ob))[0];
        com.pixelmed.display.SourceImage si = new com.pixelmed.display.SourceImage(ob);
        short[] r = si.getPaletteColorRedTable(), g = si.getPaletteColorGreenTable(), b = si.getPaletteColorBlueTable();
        int i = fill - si.getPaletteColorFirstValueMapped();
        long sum = (r[i] & 0xffff) + (g[i] & 0xffff) + (b[i] & 0xffff);
        long min = Long.MAX_VALUE;
        for (int k = 0; k < r.length; k++) min = Math.min(min, (r[k] & 0xffff) + (g[k] & 0xffff) + (b[k] & 0xffff));
        assertThat(sum).isEqualTo(min);

        // segmented 16-bit tables (65536 entries): entry 0 is black in all three (first discrete segments start 0000)
        AttributeList aloka = Synthetic.read(Synthetic.corpus("pydicom-data/gdcm-US-ALOKA-16.dcm"), false);
        PaletteTables t = PaletteTables.of(aloka, PixelLayout.of(aloka));
        assertThat(t).isNotNull();
        assertThat(t.luminance).hasSize(65536);
        assertThat(t.luminanceOf(UncompressedBlanker.fill(aloka, PixelLayout.of(aloka))[0])).isZero();
        assertThat(java.util.Arrays.stream(t.luminance).max().getAsInt()).as("table not all black").isGreaterThan(100);
    }

    @Test
    void segmentedTableExpansion() {
        // discrete 2 entries, linear to 100 over 4, indirect re-run of the first segment (offset 0)
        short[] d = {0, 2, 10, 20, 1, 4, 100, 2, 1, 0, 0};
        assertThat(PaletteTables.expandSegmented(d, 10)).containsExactly(10, 20, 40, 60, 80, 100, 10, 20, 20, 20);
    }

    @Test
    void iconThumbnailIsRemovedAndOverlaysLeftAlone() throws Exception {
        Path p = Synthetic.corpus("pydicom-data/MR-SIEMENS-DICOM-WithOverlays.dcm");
        AttributeList full = Synthetic.read(p, false), before = Synthetic.read(p, false);
        com.pixelmed.dicom.AttributeTag overlayData = new com.pixelmed.dicom.AttributeTag(0x6000, 0x3000);
        assertThat(full.get(TagFromName.IconImageSequence)).isNotNull();
        assertThat(full.get(overlayData)).isNotNull();
        RedactionResult r = new PixelRedactor().redact(full, Synthetic.rule("r", Synthetic.region(0, 0, 10, 10)));
        assertThat(r.iconImageRemoved()).isTrue();
        assertThat(full.get(TagFromName.IconImageSequence)).isNull();
        assertThat(full.get(overlayData).getShortValues()).isEqualTo(before.get(overlayData).getShortValues()); // the profile decides
    }

    @Test
    void policyApplyTurnsOutcomesIntoQuarantineReasons() throws Exception {
        PixelPolicy policy = new PixelPolicy(PixelRules.load(Path.of("config/pixels")));
        PixelRedactor redactor = new PixelRedactor();
        PixelOutcome unverified = policy.apply(Synthetic.read(Synthetic.corpus("pydicom-data/US1_UNCR.dcm"), false), redactor);
        assertThat(unverified.quarantineReason()).isEqualTo("pixels-unverified");
        assertThat(unverified.detail()).isEqualTo("Modality=US; no pixel rule matches");
        PixelOutcome sono = policy.apply(Synthetic.read(Synthetic.corpus("pydicom/test_files/examples_ybr_color.dcm"), false), redactor);
        assertThat(sono.quarantined()).isFalse();
        assertThat(sono.ocrRequired()).isTrue();
        assertThat(sono.ruleId()).contains("sonosite-turbo-320x240");
        assertThat(sono.redaction().orElseThrow().method()).isEqualTo(RedactionResult.Method.JPEG_BLOCKS);
        PixelOutcome ct = policy.apply(Synthetic.read(Synthetic.corpus("pydicom/test_files/CT_small.dcm"), false), redactor);
        assertThat(ct.quarantined()).isFalse();
        assertThat(ct.ocrRequired()).isFalse();
        assertThat(ct.redaction()).isEmpty();
    }
}

package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

class BurnedInRiskTest {

    private static Risk risk(String corpusFile) throws Exception {
        return BurnedInRisk.assess(Synthetic.read(Synthetic.corpus(corpusFile), false));
    }

    @Test
    void corpusUltrasoundSecondaryCaptureAndOtherAreAtRisk() throws Exception {
        for (String f : List.of("pydicom/test_files/examples_ybr_color.dcm", "pydicom-data/US1_UNCR.dcm", "pydicom-data/OBXXXX1A.dcm",
                "pydicom/test_files/SC_rgb_rle.dcm", "pydicom/test_files/image_dfl.dcm", "pydicom/charset_files/chrFren.dcm")) {
            assertThat(risk(f).atRisk()).as(f).isTrue();
        }
        assertThat(risk("pydicom/test_files/examples_ybr_color.dcm").reason()).isEqualTo("Modality=US");
    }

    @Test
    void burnedInAnnotationNoDoesNotClearUltrasound() throws Exception {
        AttributeList h = Synthetic.read(Synthetic.corpus("pydicom-data/JPGLosslessP14SV1_1s_1f_8b.dcm"), false);
        assertThat(com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(h, TagFromName.BurnedInAnnotation)).isEqualTo("NO");
        assertThat(BurnedInRisk.assess(h).atRisk()).isTrue();
    }

    @Test
    void corpusCtAndMrAreLow() throws Exception {
        for (String f : List.of("pydicom/test_files/CT_small.dcm", "pydicom/test_files/MR_small.dcm", "pydicom-data/emri_small.dcm")) {
            assertThat(risk(f).atRisk()).as(f).isFalse();
        }
    }

    @Test
    void headerIndicators() throws Exception {
        AttributeList h = new AttributeList();
        Synthetic.put(h, new CodeStringAttribute(TagFromName.Modality), "CT");
        assertThat(BurnedInRisk.assess(h).atRisk()).isFalse();
        Synthetic.put(h, new CodeStringAttribute(TagFromName.BurnedInAnnotation), "YES");
        assertThat(BurnedInRisk.assess(h).reason()).isEqualTo("BurnedInAnnotation=YES");

        AttributeList dx = new AttributeList();
        Synthetic.put(dx, new CodeStringAttribute(TagFromName.Modality), "DX");
        CodeStringAttribute it = new CodeStringAttribute(TagFromName.ImageType);
        it.addValue("DERIVED");
        it.addValue("SECONDARY");
        dx.put(it);
        assertThat(BurnedInRisk.assess(dx).atRisk()).isTrue();

        AttributeList sc = new AttributeList();
        Synthetic.put(sc, new com.pixelmed.dicom.UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.7.4");
        assertThat(BurnedInRisk.assess(sc).atRisk()).isTrue();
    }

    @Test
    void policyFailsClosedWithoutRule() throws Exception {
        PixelPolicy policy = new PixelPolicy(PixelRules.load(Path.of("config/pixels")));
        PixelDecision noRule = policy.decide(Synthetic.read(Synthetic.corpus("pydicom-data/US1_UNCR.dcm"), false));
        assertThat(noRule.action()).isEqualTo(PixelDecision.Action.QUARANTINE);
        assertThat(noRule.quarantineReason()).isEqualTo("pixels-unverified");

        PixelDecision sono = policy.decide(Synthetic.read(Synthetic.corpus("pydicom/test_files/examples_ybr_color.dcm"), false));
        assertThat(sono.action()).isEqualTo(PixelDecision.Action.REDACT);
        assertThat(sono.ocrRequired()).isTrue();
        assertThat(sono.rule().orElseThrow().id()).isEqualTo("sonosite-turbo-320x240");

        PixelDecision ct = policy.decide(Synthetic.read(Synthetic.corpus("pydicom/test_files/CT_small.dcm"), false));
        assertThat(ct.action()).isEqualTo(PixelDecision.Action.PASS);
        assertThat(ct.ocrRequired()).isFalse();
    }

    @Test
    void ocrVerdictHonoursAllowedRegionsConfidenceAndLength() {
        PixelPolicy policy = new PixelPolicy(PixelRules.load(Path.of("config/pixels")));
        PixelRule sono = policy.rules().rules().get(0);
        OcrHit label = new OcrHit(0, "TIS0.7", 90, new Box(295, 100, 20, 10));
        OcrHit name = new OcrHit(0, "SMITH", 90, new Box(100, 100, 60, 20));
        OcrHit faint = new OcrHit(0, "SMITH", 20, new Box(100, 100, 60, 20));
        OcrHit tick = new OcrHit(0, "|1", 95, new Box(100, 100, 5, 20));
        assertThat(policy.verify(null, sono, List.of(label, faint, tick)).pass()).isTrue();
        OcrVerdict v = policy.verify(null, sono, List.of(label, name));
        assertThat(v.pass()).isFalse();
        assertThat(v.quarantineReason()).isEqualTo("pixel-text");
        assertThat(v.offending()).containsExactly(name);
        assertThat(name.toString()).doesNotContain("SMITH");
    }
}

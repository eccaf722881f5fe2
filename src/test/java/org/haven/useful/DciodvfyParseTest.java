package org.haven.useful;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The normalisation the dciodvfy comparison relies on: values go, the attribute and the kind of problem stay. */
class DciodvfyParseTest {
    @Test
    void valuesAreRemovedButAttributeAndProblemKept() {
        String a = "Error - Value invalid for this VR - (0x0020,0x000d) UI Study Instance UID  UI [1] = <05fa52f0e5> - Character invalid for this VR = 'f' (0x66)";
        String b = "Error - Value invalid for this VR - (0x0020,0x000d) UI Study Instance UID  UI [1] = <77ab> - Character invalid for this VR = 'a' (0x61)";
        assertThat(Dciodvfy.normalise(a)).isEqualTo(Dciodvfy.normalise(b))
                .isEqualTo("Error - Value invalid for this VR - (0x0020,0x000d) UI Study Instance UID UI - Character invalid for this VR");
        assertThat(Dciodvfy.normalise("Error - StudyInstanceUID has same value as FrameOfReferenceUID <1.2.3.4>"))
                .isEqualTo(Dciodvfy.normalise("Error - StudyInstanceUID has same value as FrameOfReferenceUID <2.25.99>"));
        // different attribute or module: different messages
        assertThat(Dciodvfy.normalise("Error - Missing attribute Type 1 Required Element=<OverlayData> Module=<OverlayPlane>"))
                .isNotEqualTo(Dciodvfy.normalise("Error - Missing attribute Type 1 Required Element=<OverlayRows> Module=<OverlayPlane>"));
        // the number of items is the problem, not a value
        assertThat(Dciodvfy.normalise("Error - Bad Sequence number of Items 0 (1-n Required by Module definition) Element=<ReferencedStudySequence> Module=<GeneralStudy>"))
                .contains("Items 0").contains("ReferencedStudySequence");
    }

    @Test
    void reportSplitsErrorsAndWarnings() {
        Dciodvfy.Report r = Dciodvfy.parse("""
                CTImage
                Error - Missing attribute Type 2C Conditional Element=<Laterality> Module=<GeneralSeries>
                Warning - Value is zero for value 1 of attribute <Patient's Weight>
                (0x3109,0x000d) LO PrivateCreator  - Error - Bad private owner value - element must be greater than or equal to 0x0010
                """);
        assertThat(r.errors()).hasSize(2);
        assertThat(r.warnings()).hasSize(1);
    }

    @Test
    void attributeKeyMatchesKeywordAndDescriptiveName() {
        String invalid = "Error - Value invalid for this VR - (0x0018,0x9074) DT Frame Acquisition DateTime DT - Character invalid for this VR";
        String empty = "Error - Empty attribute (no value) Type 1C Conditional Element=<FrameAcquisitionDateTime> Module=<FrameContentMacro>";
        assertThat(Dciodvfy.attribute(invalid)).isEqualTo("frameacquisitiondatetime").isEqualTo(Dciodvfy.attribute(empty));
        assertThat(Dciodvfy.attribute("Error - Information Object Not found")).isNull();
        assertThat(Dciodvfy.isInvalidValue(invalid)).isTrue();
        assertThat(Dciodvfy.isInvalidValue(empty)).isFalse();
    }
}

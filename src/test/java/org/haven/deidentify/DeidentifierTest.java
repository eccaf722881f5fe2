package org.haven.deidentify;

import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine on small synthetic datasets (every behaviour checked against an explicit expected value). */
class DeidentifierTest {
    static final String SOP = "1.2.826.0.1.3680043.2.1125.1.111";
    static final String STUDY = "1.2.826.0.1.3680043.2.1125.1.222";

    static void put(AttributeList l, AttributeTag t, String... values) throws Exception {
        Attribute a = AttributeFactory.newAttribute(t, AttributeList.getDictionary().getValueRepresentationFromTag(t));
        for (String v : values) a.addValue(v);
        l.put(a);
    }

    static void putVr(AttributeList l, AttributeTag t, byte[] vr, String... values) throws Exception {
        Attribute a = AttributeFactory.newAttribute(t, vr);
        for (String v : values) a.addValue(v);
        l.put(a);
    }

    static AttributeList sample() throws Exception {
        AttributeList l = new AttributeList();
        put(l, TagFromName.PatientName, "SMITH^JOHN");
        put(l, TagFromName.PatientID, "PID445566");
        put(l, TagFromName.PatientBirthDate, "19620315");
        put(l, TagFromName.AccessionNumber, "ACC777");
        put(l, TagFromName.StudyDate, "20190412");
        put(l, TagFromName.AcquisitionDateTime, "20190412101530+0100");
        put(l, TagFromName.StudyDescription, "MR BRAIN 12/04/2019 J SMITH");
        put(l, TagFromName.SeriesDescription, "T1 AX acc ACC777");
        put(l, TagFromName.InstitutionName, "ROYAL INFIRMARY");
        put(l, TagFromName.Modality, "MR");
        put(l, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.4");
        put(l, TagFromName.SOPInstanceUID, SOP);
        put(l, TagFromName.StudyInstanceUID, STUDY);
        put(l, TagFromName.MediaStorageSOPInstanceUID, SOP);
        put(l, TagFromName.ReferringPhysicianName, "JONES^A");
        // nested: ReferencedImageSequence (X/Z/U*) → item with a ReferencedSOPInstanceUID and a name in a deeper sequence
        SequenceAttribute ref = new SequenceAttribute(TagFromName.ReferencedImageSequence);
        AttributeList item = new AttributeList();
        put(item, TagFromName.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.4");
        put(item, TagFromName.ReferencedSOPInstanceUID, SOP);
        put(item, TagFromName.PatientName, "SMITH^JOHN");
        ref.addItem(new SequenceItem(item));
        l.put(ref);
        // an unlisted UI attribute with a private (instance) value → remapped by default
        putVr(l, new AttributeTag(0x0020, 0x9161), ValueRepresentation.UI, "1.2.3.4.5.6.7");   // ConcatenationUID
        // private block: GEMS_ACQU_01 at (0019,10xx): 0x23 is allowlisted, 0x10 is not
        putVr(l, new AttributeTag(0x0019, 0x0010), ValueRepresentation.LO, "GEMS_ACQU_01");
        putVr(l, new AttributeTag(0x0019, 0x1023), ValueRepresentation.DS, "39.375");
        putVr(l, new AttributeTag(0x0019, 0x1010), ValueRepresentation.LO, "SMITH JOHN");
        // same element offset under another creator: must not be kept
        putVr(l, new AttributeTag(0x0021, 0x0010), ValueRepresentation.LO, "OTHER VENDOR");
        putVr(l, new AttributeTag(0x0021, 0x1023), ValueRepresentation.DS, "1");
        // overlay in group 6002 and pixel data
        OtherByteAttribute overlay = new OtherByteAttribute(new AttributeTag(0x6002, 0x3000));
        overlay.setValues(new byte[] {1, 2, 3, 4});
        l.put(overlay);
        OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
        pixels.setValues(new byte[] {9, 9});
        l.put(pixels);
        return l;
    }

    static String s(AttributeList l, AttributeTag t) { return Attribute.getSingleStringValueOrEmptyString(l, t); }

    static AttributeList item0(AttributeList l, AttributeTag seq) {
        return ((SequenceAttribute) l.get(seq)).getItem(0).getAttributeList();
    }

    @Test
    void basicProfile() throws Exception {
        AttributeList l = sample();
        UidRemapper uids = new UidRemapper(Keys.KEY, "P001");
        DeidResult r = new Deidentifier(Keys.REGISTRY.get("basic")).apply(l, new DeidContext("P001", "HVN0001", -10, uids, false));

        assertThat(s(l, TagFromName.PatientName)).isEqualTo("HVN0001");
        assertThat(s(l, TagFromName.PatientID)).isEqualTo("HVN0001");
        assertThat(l.get(TagFromName.PatientBirthDate).getVL()).isZero();          // Z
        assertThat(l.get(TagFromName.StudyDate).getVL()).isZero();                 // Z
        assertThat(s(l, TagFromName.AcquisitionDateTime)).isEqualTo("19000101000000");   // X/Z/D → dummy
        assertThat(l.get(TagFromName.StudyDescription)).isNull();                  // X
        assertThat(s(l, TagFromName.InstitutionName)).isEqualTo("ANONYMOUS");      // X/Z/D → dummy
        assertThat(s(l, TagFromName.Modality)).isEqualTo("MR");                    // unlisted: keep
        assertThat(s(l, TagFromName.SOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.4");
        assertThat(s(l, TagFromName.SOPInstanceUID)).isEqualTo(uids.remap(SOP));
        assertThat(s(l, TagFromName.MediaStorageSOPInstanceUID)).isEqualTo(uids.remap(SOP));
        assertThat(s(l, TagFromName.StudyInstanceUID)).isEqualTo(uids.remap(STUDY));
        assertThat(s(l, new AttributeTag(0x0020, 0x9161))).isEqualTo(uids.remap("1.2.3.4.5.6.7"));
        AttributeList item = item0(l, TagFromName.ReferencedImageSequence);
        assertThat(s(item, TagFromName.ReferencedSOPInstanceUID)).isEqualTo(uids.remap(SOP));
        assertThat(s(item, TagFromName.ReferencedSOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.4");
        assertThat(s(item, TagFromName.PatientName)).isEqualTo("HVN0001");        // rules apply inside sequences
        assertThat(l.keySet()).noneMatch(t -> t.getGroup() % 2 == 1);             // private: X
        assertThat(l.get(new AttributeTag(0x6002, 0x3000))).isNull();              // (60xx,3000): X
        assertThat(l.get(TagFromName.PixelData).getByteValues()).containsExactly(9, 9);   // untouched
        // markers
        assertThat(s(l, TagFromName.PatientIdentityRemoved)).isEqualTo("YES");
        assertThat(s(l, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo("REMOVED");
        assertThat(l.get(TagFromName.DeidentificationMethod).getStringValues()).contains("Haven profile basic", "Basic Application Confidentiality Profile");
        AttributeList code = item0(l, TagFromName.DeidentificationMethodCodeSequence);
        assertThat(s(code, TagFromName.CodeValue)).isEqualTo("113100");
        assertThat(s(code, TagFromName.CodingSchemeDesignator)).isEqualTo("DCM");
        // audit: rule sources, and no original values unless explaining
        assertThat(r.actions()).anySatisfy(a -> {
            assertThat(a.keyword()).isEqualTo("PatientName");
            assertThat(a.action()).isEqualTo("pseudonym");
            assertThat(a.ruleSource()).matches("basic\\.yaml:\\d+");
        });
        assertThat(r.actions()).allSatisfy(a -> assertThat(a.before()).isNull());
        assertThat(r.actions()).anySatisfy(a -> assertThat(a.path()).isEqualTo("ReferencedImageSequence[0]/ReferencedSOPInstanceUID"));
    }

    @Test
    void researchProfileCleansDescriptorsAndShiftsDates() throws Exception {
        AttributeList l = sample();
        new Deidentifier(Keys.REGISTRY.get("research")).apply(l, new DeidContext("P001", "HVN0001", -10, new UidRemapper(Keys.KEY, "P001"), true));
        assertThat(s(l, TagFromName.StudyDate)).isEqualTo("20190402");
        assertThat(s(l, TagFromName.AcquisitionDateTime)).isEqualTo("20190402101530+0100");
        assertThat(s(l, TagFromName.StudyDescription)).isEqualTo("MR BRAIN [date] [name]");
        // identifiers were gathered before AccessionNumber was emptied
        assertThat(s(l, TagFromName.SeriesDescription)).isEqualTo("T1 AX acc [id]");
        assertThat(l.get(TagFromName.AccessionNumber).getVL()).isZero();
        assertThat(s(l, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo("MODIFIED");
        List<String> codes = new java.util.ArrayList<>();
        SequenceAttribute seq = (SequenceAttribute) l.get(TagFromName.DeidentificationMethodCodeSequence);
        for (int i = 0; i < seq.getNumberOfItems(); i++) codes.add(s(seq.getItem(i).getAttributeList(), TagFromName.CodeValue));
        assertThat(codes).containsExactly("113100", "113105", "113104", "113107", "113108", "113111");
    }

    @Test
    void safePrivateKeepsOnlyAllowlistedElementsOfTheMatchingCreator() throws Exception {
        AttributeList l = sample();
        new Deidentifier(Keys.REGISTRY.get("retain-safe-private")).apply(l, Keys.context("HVN0001"));
        assertThat(s(l, new AttributeTag(0x0019, 0x1023))).isEqualTo("39.375");
        assertThat(s(l, new AttributeTag(0x0019, 0x0010))).isEqualTo("GEMS_ACQU_01");
        assertThat(l.get(new AttributeTag(0x0019, 0x1010))).isNull();
        assertThat(l.get(new AttributeTag(0x0021, 0x1023))).isNull();
        assertThat(l.get(new AttributeTag(0x0021, 0x0010))).isNull();
    }

    @Test
    void explainRecordsOriginalValuesOnlyWhenAsked() throws Exception {
        AttributeList l = sample();
        DeidResult r = new Deidentifier(Keys.REGISTRY.get("basic")).apply(l, new DeidContext("P001", "HVN0001", -10, new UidRemapper(Keys.KEY, "P001"), true));
        assertThat(r.actions()).anySatisfy(a -> {
            assertThat(a.keyword()).isEqualTo("PatientID");
            assertThat(a.before()).isEqualTo("PID445566");
            assertThat(a.after()).isEqualTo("HVN0001");
        });
    }

    @Test
    void pseudonymIsRequiredAndAddedWhenMissing() throws Exception {
        AttributeList l = new AttributeList();
        put(l, TagFromName.Modality, "CT");
        Deidentifier d = new Deidentifier(Keys.REGISTRY.get("basic"));
        assertThatThrownBy(() -> d.apply(l, new DeidContext("P001", null, -1, new UidRemapper(Keys.KEY, "P001"), false)))
                .isInstanceOf(DeidentificationException.class).hasMessageContaining("pseudonym");
        AttributeList l2 = new AttributeList();
        put(l2, TagFromName.Modality, "CT");
        d.apply(l2, Keys.context("HVN0002"));
        assertThat(s(l2, TagFromName.PatientName)).isEqualTo("HVN0002");
        assertThat(s(l2, TagFromName.PatientID)).isEqualTo("HVN0002");
    }

    @Test
    void researchCleansStructuredReportContent() throws Exception {
        AttributeList l = sample();
        put(l, TagFromName.PatientAddress, "27 Kirkton Crescent^Forfar^DD8 3AB");
        SequenceAttribute content = new SequenceAttribute(TagFromName.ContentSequence);
        AttributeList text = new AttributeList();
        put(text, TagFromName.ValueType, "TEXT");
        SequenceAttribute concept = new SequenceAttribute(TagFromName.ConceptNameCodeSequence);
        AttributeList code = new AttributeList();
        put(code, TagFromName.CodeValue, "121071");
        put(code, TagFromName.CodingSchemeDesignator, "DCM");
        put(code, TagFromName.CodeMeaning, "Finding");
        concept.addItem(code);
        text.put(concept);
        put(text, TagFromName.TextValue, "Patient John Smith, DOB 15/03/1962, lives 27 Kirkton Crescent, Forfar. Referred by Eilidh MACRAE. Mild cardiomegaly.");
        content.addItem(text);
        AttributeList person = new AttributeList();
        put(person, TagFromName.ValueType, "PNAME");
        put(person, TagFromName.PersonName, "MACRAE^EILIDH");
        content.addItem(person);
        AttributeList date = new AttributeList();
        put(date, TagFromName.ValueType, "DATE");
        put(date, TagFromName.Date, "20190412");
        content.addItem(date);
        AttributeList uid = new AttributeList();
        put(uid, TagFromName.ValueType, "UIDREF");
        put(uid, TagFromName.UID, STUDY);
        content.addItem(uid);
        l.put(content);

        DeidResult r = new Deidentifier(Keys.REGISTRY.get("research")).apply(l, new DeidContext("P001", "HVN0001", -10, new UidRemapper(Keys.KEY, "P001"), true));
        SequenceAttribute out = (SequenceAttribute) l.get(TagFromName.ContentSequence);
        assertThat(out.getNumberOfItems()).isEqualTo(4);
        AttributeList t = out.getItem(0).getAttributeList();
        assertThat(s(t, TagFromName.TextValue)).isEqualTo("Patient [name], DOB [date], lives [address]. Referred by [name]. Mild cardiomegaly.");
        AttributeList c = ((SequenceAttribute) t.get(TagFromName.ConceptNameCodeSequence)).getItem(0).getAttributeList();
        assertThat(s(c, TagFromName.CodeMeaning)).isEqualTo("Finding");
        assertThat(s(c, TagFromName.CodeValue)).isEqualTo("121071");
        assertThat(s(out.getItem(1).getAttributeList(), TagFromName.PersonName)).isNotEmpty().doesNotContainIgnoringCase("macrae");
        assertThat(s(out.getItem(2).getAttributeList(), TagFromName.Date)).isEqualTo("20190402");
        assertThat(s(out.getItem(3).getAttributeList(), TagFromName.UID)).startsWith("2.25.").isEqualTo(s(l, TagFromName.StudyInstanceUID));
        // the rules that fired are named with file:line for explain
        assertThat(r.actions()).anySatisfy(a -> {
            assertThat(a.path()).isEqualTo("ContentSequence[0]/TextValue");
            assertThat(a.ruleSource()).contains("text:").containsPattern("address \\(config/verify/detectors\\.yaml:\\d+\\)");
        });
    }
}

package org.haven.useful;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.haven.deidentify.DateShift;
import org.haven.deidentify.DeidContext;
import org.haven.deidentify.Deidentifier;
import org.haven.deidentify.ProfileRegistry;
import org.haven.deidentify.UidRemapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two engine rules dciodvfy asked for, on a hand-made header (no corpus, no external tool): an X/Z Type 3
 * sequence with items is removed rather than left with zero items (Type 2 X/Z sequences keep the zero-item form),
 * and an overlay plane whose data the profile removes goes whole.
 */
class IodValidityTest {
    static final ProfileRegistry PROFILES = ProfileRegistry.load(Path.of("config/profiles"));
    static final byte[] KEY = "useful-test-key".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"basic", "research"})
    void noZeroItemType3SequencesAndNoOverlayPlanesWithoutData(String profile) throws Exception {
        AttributeList l = new AttributeList();
        l.put(sequenceWithReference(new AttributeTag(0x0008, 0x1110)));            // ReferencedStudySequence, X/Z, Type 3
        l.put(sequenceWithReference(new AttributeTag(0x0040, 0x0555)));            // AcquisitionContextSequence, X/Z, Type 2
        for (int[] e : new int[][] {{0x0010, 64}, {0x0011, 64}, {0x0100, 1}, {0x0102, 0}}) {
            UnsignedShortAttribute a = new UnsignedShortAttribute(new AttributeTag(0x6000, e[0]));
            a.addValue(e[1]);
            l.put(a);
        }
        OtherByteAttribute data = new OtherByteAttribute(new AttributeTag(0x6000, 0x3000));
        data.setValues(new byte[512]);
        l.put(data);

        String pseudonym = "HVNTEST01";
        new Deidentifier(PROFILES.get(profile)).apply(l, new DeidContext("P1", pseudonym,
                DateShift.offsetDays(KEY, "P1", pseudonym), new UidRemapper(KEY, "P1"), false));

        assertThat(l.get(new AttributeTag(0x0008, 0x1110))).as("ReferencedStudySequence").isNull();
        assertThat(l.get(new AttributeTag(0x0040, 0x0555))).as("AcquisitionContextSequence (Type 2: kept, zero items)")
                .isInstanceOf(SequenceAttribute.class);
        // basic removes its content (X/Z: zero items); research applies Clean Structured Content, which keeps the
        // sequence's items and cleans inside them (PS3.15 E.1-1 action C) — either way the Type 2 sequence stays
        int items = ((SequenceAttribute) l.get(new AttributeTag(0x0040, 0x0555))).getNumberOfItems();
        if (profile.equals("basic")) assertThat(items).isZero();
        else assertThat(items).as("cleaned, not emptied, under Clean Structured Content").isEqualTo(1);
        assertThat(l.keySet().stream().filter(t -> t.getGroup() == 0x6000)).as("overlay group 6000").isEmpty();
    }

    private static SequenceAttribute sequenceWithReference(AttributeTag tag) throws Exception {
        SequenceAttribute s = new SequenceAttribute(tag);
        AttributeList item = new AttributeList();
        UniqueIdentifierAttribute cls = new UniqueIdentifierAttribute(new AttributeTag(0x0008, 0x1150));
        cls.addValue("1.2.840.10008.3.1.2.3.1");
        item.put(cls);
        UniqueIdentifierAttribute inst = new UniqueIdentifierAttribute(new AttributeTag(0x0008, 0x1155));
        inst.addValue("1.2.826.0.1.3680043.2.1125.1.99");
        item.put(inst);
        s.addItem(new SequenceItem(item));
        return s;
    }
}

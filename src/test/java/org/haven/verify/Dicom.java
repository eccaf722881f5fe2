package org.haven.verify;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;

/** Small builders for in-memory datasets in tests. */
final class Dicom {
    private Dicom() {}

    static Attribute attr(AttributeTag tag, String value) {
        try {
            Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag, com.pixelmed.dicom.DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag));
            a.addValue(value);
            return a;
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    static AttributeList put(AttributeList list, AttributeTag tag, String value) {
        list.put(attr(tag, value));
        return list;
    }

    /** A private LO attribute and its creator. */
    static AttributeList putPrivate(AttributeList list, int group, int element, String creator, String value) {
        try {
            Attribute c = new com.pixelmed.dicom.LongStringAttribute(new AttributeTag(group, element >> 8));
            c.addValue(creator);
            list.put(c);
            Attribute a = new com.pixelmed.dicom.LongStringAttribute(new AttributeTag(group, element));
            a.addValue(value);
            list.put(a);
            return list;
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    static SequenceAttribute sequence(AttributeTag tag, AttributeList... items) {
        SequenceAttribute s = new SequenceAttribute(tag);
        for (AttributeList i : items) s.addItem(i);
        return s;
    }
}

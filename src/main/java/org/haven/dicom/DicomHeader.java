package org.haven.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

/**
 * A file's structure and its header attributes (everything before PixelData), parsed once per stage, and the safe
 * repairs made while reading it ({@link ValueRepairs}; descriptions name attributes, never values).
 */
public record DicomHeader(DicomLayout layout, AttributeList attributes, java.util.List<String> repairs) {
    public DicomHeader(DicomLayout layout, AttributeList attributes) { this(layout, attributes, java.util.List.of()); }

    /** Trimmed single string value, "" when absent. */
    public String text(AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(attributes, tag).trim();
    }

    /** All values joined with a backslash, trimmed ("" when absent). */
    public String texts(AttributeTag tag) {
        return Attribute.getDelimitedStringValuesOrEmptyString(attributes, tag).trim();
    }
}

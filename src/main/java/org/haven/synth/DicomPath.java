package org.haven.synth;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.UnknownAttribute;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths into a DICOM data set as used by the {@link AnswerKey}: segments separated by dots, each a keyword or a tag
 * {@code (gggg,eeee)}, sequences with an item index: {@code RequestAttributesSequence[0].(0009,1010)}.
 */
public final class DicomPath {
    private DicomPath() {}

    private static final Pattern SEGMENT = Pattern.compile(
            "(?:\\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\\)|([A-Za-z0-9]+))(?:\\[(\\d+)])?");

    /** The attribute at {@code path}, or null where any step is missing. */
    public static Attribute attribute(AttributeList list, String path) {
        String[] segments = path.split("\\.");
        AttributeList current = list;
        for (int i = 0; i < segments.length; i++) {
            Matcher m = SEGMENT.matcher(segments[i]);
            if (!m.matches()) throw new IllegalArgumentException("bad DICOM path segment: " + segments[i]);
            AttributeTag tag = m.group(3) != null
                    ? DicomDictionary.StandardDictionary.getTagFromName(m.group(3))
                    : new AttributeTag(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16));
            if (tag == null) throw new IllegalArgumentException("unknown keyword: " + m.group(3));
            Attribute a = current.get(tag);
            if (a == null) return null;
            if (i == segments.length - 1 && m.group(4) == null) return a;
            if (!(a instanceof SequenceAttribute seq)) return null;
            int item = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
            if (item >= seq.getNumberOfItems()) return null;
            current = seq.getItem(item).getAttributeList();
            if (i == segments.length - 1) return null; // path ends at an item, not an attribute
        }
        return null;
    }

    /**
     * The value at {@code path} as text, several values joined with a backslash; private attributes read without
     * their VR (implicit VR files) are decoded as ISO-8859-1 text. Null where the attribute is absent.
     */
    public static String value(AttributeList list, String path) {
        Attribute a = attribute(list, path);
        if (a == null) return null;
        if (a instanceof UnknownAttribute || a instanceof OtherByteAttribute) {
            byte[] bytes;
            try {
                bytes = a.getByteValues();
            } catch (com.pixelmed.dicom.DicomException e) {
                throw new IllegalStateException("cannot read bytes of " + path, e);
            }
            if (bytes == null) return "";
            return new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("[\\u0000 ]+$", "");
        }
        String s = a.getDelimitedStringValuesOrNull();
        return s == null ? "" : s;
    }
}

package org.haven.dicom;

import java.text.NumberFormat;

import com.pixelmed.dicom.Attribute;

/**
 * An attribute's values as PixelMed writes them joined ({@code a\b}), "" for an attribute that has no string form.
 * PixelMed's own {@code getDelimitedStringValuesOrEmptyString} answers "" for those too, but by throwing and catching
 * a DicomException each time (OB, OW, OF and the like): with a stack trace through the whole route, per attribute.
 */
public final class AttributeText {
    /** Whether a class has its own string values (PixelMed's Attribute.getStringValues only throws). */
    private static final ClassValue<Boolean> HAS_STRINGS = new ClassValue<>() {
        @Override protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("getStringValues", NumberFormat.class).getDeclaringClass() != Attribute.class;
            } catch (NoSuchMethodException e) {
                return true; // not expected; ask PixelMed, which answers "" when it cannot
            }
        }
    };

    private AttributeText() {}

    public static String of(Attribute a) {
        return HAS_STRINGS.get(a.getClass()) ? a.getDelimitedStringValuesOrEmptyString() : "";
    }
}

package org.haven.pixel.library;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

/** Attribute names as Haven's pixel rules write them: the PS3.6 keyword when there is one, else {@code (gggg,eeee)}. */
final class Attributes {

    private static final Pattern TAG = Pattern.compile("\\(?(?:0x)?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\\)?");

    private Attributes() {}

    /**
     * A keyword as given, or a tag in any of the libraries' spellings ({@code (0008,0070)}, {@code 0x00080070}) turned
     * into its keyword, or kept as {@code (gggg,eeee)} for private and unknown elements.
     */
    static String name(String attribute) {
        Matcher m = TAG.matcher(attribute);
        if (!attribute.matches("[A-Za-z][A-Za-z0-9]*") && m.matches()) {
            int group = Integer.parseInt(m.group(1), 16), element = Integer.parseInt(m.group(2), 16);
            AttributeTag tag = new AttributeTag(group, element);
            String keyword = (group % 2 == 1) ? null : AttributeList.getDictionary().getNameFromTag(tag);
            return keyword != null ? keyword : String.format("(%04X,%04X)", group, element);
        }
        if (AttributeList.getDictionary().getTagFromName(attribute) == null) {
            throw new IllegalArgumentException("unknown DICOM keyword '" + attribute + "'");
        }
        return attribute;
    }
}

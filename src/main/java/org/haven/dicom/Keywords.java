package org.haven.dicom;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;

/**
 * DICOM keywords by tag: PixelMed's standard dictionary, copied once into a sorted int table. The stages name every
 * element they walk (gate, de-identifier, source identifiers); PixelMed's own lookup is a HashMap keyed by
 * AttributeTag, whose hash (group &lt;&lt; 16 + element) puts many standard tags in one bucket, so each lookup walked a
 * tree of AttributeTag comparisons. Same names for the same tags (the table holds exactly the dictionary's entries).
 */
public final class Keywords {
    private static final int[] TAGS;
    private static final String[] NAMES;

    static {
        DicomDictionary dict = DicomDictionary.StandardDictionary;
        java.util.List<AttributeTag> tags = new java.util.ArrayList<>();
        for (Iterator<?> it = dict.getTagIterator(); it.hasNext(); ) tags.add((AttributeTag) it.next());
        tags.sort(Comparator.comparingInt(Keywords::key));
        TAGS = new int[tags.size()];
        NAMES = new String[tags.size()];
        for (int i = 0; i < tags.size(); i++) {
            TAGS[i] = key(tags.get(i));
            NAMES[i] = dict.getNameFromTag(tags.get(i));
        }
    }

    private Keywords() {}

    /** The dictionary keyword of this tag, or null (private, unknown, or a repeating group other than its first). */
    public static String of(AttributeTag tag) { return of(tag.getGroup(), tag.getElement()); }

    public static String of(int group, int element) {
        int i = Arrays.binarySearch(TAGS, (group << 16) | (element & 0xFFFF));
        return i < 0 ? null : NAMES[i];
    }

    private static int key(AttributeTag t) { return (t.getGroup() << 16) | (t.getElement() & 0xFFFF); }
}

package org.haven.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import org.junit.jupiter.api.Test;

/** The int-keyed keyword table names every tag exactly as PixelMed's dictionary does. */
class KeywordsTest {
    @Test
    void sameNamesAsTheDictionaryForEveryTag() {
        DicomDictionary dict = DicomDictionary.StandardDictionary;
        int n = 0;
        for (Iterator<?> it = dict.getTagIterator(); it.hasNext(); n++) {
            AttributeTag t = (AttributeTag) it.next();
            assertThat(Keywords.of(t)).as(t.toString()).isEqualTo(dict.getNameFromTag(t));
        }
        assertThat(n).isGreaterThan(4000);
    }

    @Test
    void noNameForPrivateUnknownOrHighGroupTags() {
        for (AttributeTag t : new AttributeTag[] {new AttributeTag(0x0009, 0x1001), new AttributeTag(0x0008, 0x0003),
                new AttributeTag(0x6002, 0x3000), new AttributeTag(0xFFFE, 0xE000), new AttributeTag(0x7FE1, 0x0010)}) {
            assertThat(Keywords.of(t)).as(t.toString()).isEqualTo(DicomDictionary.StandardDictionary.getNameFromTag(t));
        }
        assertThat(Keywords.of(0x0010, 0x0010)).isEqualTo("PatientName");
        assertThat(Keywords.of(0x7FE0, 0x0010)).isEqualTo("PixelData");
    }
}

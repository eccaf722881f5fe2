package org.haven.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.junit.jupiter.api.Test;

class AttributeTextTest {

    @Test
    void sameTextAsPixelMedWithoutItsException() throws Exception {
        Attribute cs = new CodeStringAttribute(TagFromName.ImageType);
        cs.addValue("ORIGINAL");
        cs.addValue("PRIMARY");
        Attribute us = new UnsignedShortAttribute(TagFromName.Rows);
        us.addValue(512);
        Attribute ob = new OtherByteAttribute(new AttributeTag(0x0029, 0x1010));
        ob.setValues(new byte[] {1, 2, 3, 4});
        Attribute ow = new OtherWordAttribute(new AttributeTag(0x0029, 0x1020));
        ow.setValues(new short[] {1, 2});
        for (Attribute a : new Attribute[] {cs, us, ob, ow}) {
            assertThat(AttributeText.of(a)).as(a.getClass().getSimpleName()).isEqualTo(a.getDelimitedStringValuesOrEmptyString());
        }
        assertThat(AttributeText.of(cs)).isEqualTo("ORIGINAL\\PRIMARY");
        assertThat(AttributeText.of(us)).isEqualTo("512");
        assertThat(AttributeText.of(ob)).isEmpty();
    }
}

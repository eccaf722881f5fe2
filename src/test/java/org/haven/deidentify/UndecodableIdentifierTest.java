package org.haven.deidentify;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

/** The text cleaner must know every source identifier: one it cannot decode holds the file instead of being skipped. */
class UndecodableIdentifierTest {
    @Test
    void anUndecodableSourceNameStopsDeidentification() throws Exception {
        AttributeList list = DeidentifierTest.sample();
        list.put(new PersonNameAttribute(TagFromName.OtherPatientNames) {
            @Override public String[] getStringValues() throws DicomException { throw new DicomException("cannot decode"); }
        });
        assertThatThrownBy(() -> Deidentifier.gatherIdentifiers(list)).isInstanceOf(DeidentificationException.class)
            .hasMessageContaining("(0010,1001)").hasMessageContaining("cannot be decoded");
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.BiConsumer;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;
import org.haven.dicom.DicomHeader;
import org.haven.dicom.DicomReader;

/** Assertions about a released file against its original. */
final class ReleasedFileChecks {
    /** UIDs naming coding schemes and mapping resources, not instances: kept on purpose. */
    private static final Set<AttributeTag> CODING_UIDS = Set.of(new AttributeTag(0x0008, 0x010C), new AttributeTag(0x0008, 0x010D),
        new AttributeTag(0x0008, 0x0118), new AttributeTag(0x0002, 0x0012));

    private ReleasedFileChecks() {}

    static void assertDeidentified(Path original, Path released) throws Exception {
        assertDeidentified(original, released, false);
    }

    /** {@code pixelsBlanked}: blanking may re-encode JPEG lossless/2000 as explicit VR little endian (documented). */
    static void assertDeidentified(Path original, Path released, boolean pixelsBlanked) throws Exception {
        DicomHeader before = DicomReader.readAll(original);
        DicomHeader after = DicomReader.readAll(released);
        if (pixelsBlanked) {
            assertThat(after.layout().transferSyntaxUID()).isIn(before.layout().transferSyntaxUID(), "1.2.840.10008.1.2.1");
        } else if (before.layout().hasFileMeta()) {
            assertThat(after.layout().transferSyntaxUID()).as("transfer syntax of %s", original).isEqualTo(before.layout().transferSyntaxUID());
        }
        String name = before.text(TagFromName.PatientName).matches("(?i)anonymi[sz]ed|anonymous") ? "" : before.text(TagFromName.PatientName);
        String id = before.text(TagFromName.PatientID);
        Set<String> originalUids = new HashSet<>();
        walk(before.attributes(), (a, v) -> {
            if (ValueRepresentation.isUniqueIdentifierVR(a.getVR()) && !v.startsWith("1.2.840.10008.") && v.length() > 8
                && !CODING_UIDS.contains(a.getTag())) originalUids.add(v);
        });
        walk(after.attributes(), (a, v) -> {
            if (!name.isEmpty()) assertThat(v).as("%s in %s", a.getTag(), original).isNotEqualToIgnoringCase(name);
            if (id.length() > 1) assertThat(v).as("%s in %s", a.getTag(), original).isNotEqualTo(id);
            assertThat(originalUids).as("original UID kept in %s of %s", a.getTag(), original).doesNotContain(v);
        });
        assertThat(after.text(TagFromName.PatientIdentityRemoved)).isEqualTo("YES");
        // pixel data unchanged byte for byte
        Attribute px0 = before.attributes().get(TagFromName.PixelData);
        Attribute px1 = after.attributes().get(TagFromName.PixelData);
        assertThat(px1 == null).as("PixelData presence in %s", original).isEqualTo(px0 == null);
    }

    /** Calls back with every string value of every non-sequence attribute, recursively. */
    static void walk(AttributeList list, BiConsumer<Attribute, String> each) {
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute sq) {
                Iterator<?> it = sq.iterator();
                while (it.hasNext()) walk(((SequenceItem) it.next()).getAttributeList(), each);
                continue;
            }
            if (a.getTag().equals(TagFromName.PixelData)) continue;
            byte[] vr = a.getVR();
            if (vr == null || ValueRepresentation.isOtherByteOrWordVR(vr) || ValueRepresentation.isUnknownVR(vr)) continue;
            try {
                String[] values = a.getStringValues();
                if (values != null) for (String v : values) if (v != null && !v.isBlank()) each.accept(a, v.trim());
            } catch (Exception e) {
                // binary VRs without a string form
            }
        }
    }
}

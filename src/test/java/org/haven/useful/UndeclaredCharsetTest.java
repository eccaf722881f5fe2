package org.haven.useful;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.TagFromName;
import org.haven.dicom.DicomHeader;
import org.haven.dicom.DicomReader;
import org.haven.pipeline.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file without SpecificCharacterSet whose StudyDescription is Windows-1251 Cyrillic (an export from a local
 * system): released with the text decoded (no U+FFFD), ISO_IR 192 declared, and no dciodvfy error the input did not
 * have.
 */
class UndeclaredCharsetTest {
    static final String CYRILLIC = "МРТ головного мозга с контрастом";

    @TempDir
    Path tmp;

    @Test
    void windows1251TextIsDecodedAndDeclared() throws Exception {
        Corpus.assumeAvailable();
        Path input = tmp.resolve("cyrillic.dcm");
        Files.write(input, withStudyDescription(Files.readAllBytes(Corpus.ROOT.resolve("pydicom/test_files/MR_small.dcm")),
                CYRILLIC.getBytes(Charset.forName("windows-1251"))));
        Released.Run run = Released.through("charset", "research", List.of(input));
        Path out = run.released().get(input);
        assertThat(out).as("released (held: %s)", run.quarantined().get(input)).isNotNull();
        DicomHeader h = DicomReader.readAll(out);
        assertThat(h.text(TagFromName.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
        assertThat(h.text(TagFromName.StudyDescription)).isEqualTo(CYRILLIC).doesNotContain("\uFFFD");
        if (ExternalTool.onPath("dciodvfy")) {
            Set<String> added = new HashSet<>(Dciodvfy.check(out).errors());
            added.removeAll(Dciodvfy.check(input).errors());
            assertThat(added).as("dciodvfy errors the input did not have").isEmpty();
        }
    }

    /** MR_small (explicit VR little endian, no character set) with a raw StudyDescription (0008,1030) inserted in order. */
    static byte[] withStudyDescription(byte[] file, byte[] value) {
        byte[] v = value.length % 2 == 0 ? value : java.util.Arrays.copyOf(value, value.length + 1);
        if (v.length != value.length) v[v.length - 1] = ' ';
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 132 + 12 + b.getInt(132 + 8);   // after the file meta group (its group length)
        while (true) {
            int tag = (b.getShort(pos) & 0xFFFF) << 16 | (b.getShort(pos + 2) & 0xFFFF);
            if (Integer.compareUnsigned(tag, 0x00081030) > 0) break;
            String vr = new String(file, pos + 4, 2);
            boolean longLength = Set.of("OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR", "OD", "OL", "OV").contains(vr);
            long len = longLength ? b.getInt(pos + 8) & 0xFFFFFFFFL : b.getShort(pos + 6) & 0xFFFF;
            if (len == 0xFFFFFFFFL) throw new IllegalStateException("undefined length before StudyDescription");
            pos += (longLength ? 12 : 8) + (int) len;
        }
        ByteBuffer e = ByteBuffer.allocate(8 + v.length).order(ByteOrder.LITTLE_ENDIAN);
        e.putShort((short) 0x0008).putShort((short) 0x1030).put("LO".getBytes()).putShort((short) v.length).put(v);
        byte[] out = new byte[file.length + e.capacity()];
        System.arraycopy(file, 0, out, 0, pos);
        System.arraycopy(e.array(), 0, out, pos, e.capacity());
        System.arraycopy(file, pos, out, pos + e.capacity(), file.length - pos);
        return out;
    }
}

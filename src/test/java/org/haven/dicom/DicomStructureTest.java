package org.haven.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict walker on hand-made files: what it finds, and what it refuses with a reason. */
class DicomStructureTest {
    @TempDir
    Path tmp;

    @Test
    void findsPixelDataAndDropsOnlyTrailingPadding() throws Exception {
        byte[] pixels = new byte[64];
        Path f = write(part10(element(0x0008, 0x0060, "CS", "CT".getBytes()), element(0x0028, 0x0010, "US", new byte[] {8, 0}),
            element(0x7FE0, 0x0010, "OW", pixels), element(0xFFFC, 0xFFFC, "OB", new byte[4])));
        DicomLayout layout = DicomStructure.walk(f);
        assertThat(layout.hasPixelData()).isTrue();
        assertThat(layout.pixelDataEnd() - layout.pixelDataStart()).isEqualTo(12 + 64);
        assertThat(layout.canStreamPixelData()).isTrue();
    }

    @Test
    void refusesLengthsPastTheEndWrongVrsAndHugeHeaderValues() throws Exception {
        byte[] cut = part10(element(0x0008, 0x0060, "CS", "CT".getBytes()), element(0x7FE0, 0x0010, "OW", new byte[64]));
        Path truncated = write(java.util.Arrays.copyOf(cut, cut.length - 10));
        assertThatThrownBy(() -> DicomStructure.walk(truncated)).hasMessageContaining("pixel data truncated");

        byte[] badVr = part10(element(0x0008, 0x0060, "CS", "CT".getBytes()));
        badVr[badVr.length - 6] = 'z'; // the VR's first byte
        Path wrongVr = write(badVr);
        assertThatThrownBy(() -> DicomStructure.walk(wrongVr)).hasMessageContaining("invalid VR");

        int hugeLength = 300 * 1024 * 1024; // a private value of 300 MB, really in the (sparse) file
        ByteBuffer huge = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        huge.putShort((short) 0x0009).putShort((short) 0x1010).put("OB".getBytes()).putShort((short) 0).putInt(hugeLength);
        Path big = write(part10(element(0x0008, 0x0060, "CS", "CT".getBytes()), huge.array()));
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(raf.length() + hugeLength);
        }
        assertThatThrownBy(() -> DicomStructure.walk(big)).isInstanceOf(UnreadableDicomException.class)
            .hasMessageContaining("(0009,1010)").hasMessageContaining("outside PixelData");

        Path text = write("not a DICOM file at all, just some words about a patient".getBytes());
        assertThatThrownBy(() -> DicomStructure.walk(text)).hasMessageStartingWith("not DICOM");
    }

    Path write(byte[] bytes) throws Exception {
        return Files.write(Files.createTempFile(tmp, "f", ".dcm"), bytes);
    }

    /** Preamble, DICM, a file meta group (explicit VR little endian) and the given data set elements. */
    static byte[] part10(byte[]... elements) throws Exception {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        meta.write(element(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1\0".getBytes()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[128]);
        out.write("DICM".getBytes());
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size());
        out.write(element(0x0002, 0x0000, "UL", len.array()));
        out.write(meta.toByteArray());
        for (byte[] e : elements) out.write(e);
        return out.toByteArray();
    }

    static byte[] element(int group, int elem, String vr, byte[] value) {
        boolean longForm = java.util.Set.of("OB", "OW", "SQ", "UN", "UT").contains(vr);
        ByteBuffer b = ByteBuffer.allocate((longForm ? 12 : 8) + value.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) group).putShort((short) elem).put(vr.getBytes());
        if (longForm) b.putShort((short) 0).putInt(value.length);
        else b.putShort((short) value.length);
        return b.put(value).array();
    }
}

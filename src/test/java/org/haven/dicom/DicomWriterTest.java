package org.haven.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.synth.CtSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header-only write: an edited header, the pixel bytes copied from the source unchanged. */
class DicomWriterTest {
    @TempDir Path dir;

    @Test
    void pixelBytesLargerThanTheCopyBufferArriveUnchanged() throws Exception {
        Path source = oneCtSlice(false); // 512 x 512 x 16 bits: 512 KB of pixel data, two chunks of the copy buffer
        DicomHeader header = DicomReader.readHeader(source);
        header.attributes().get(TagFromName.PatientName).setValue("EDITED^HEADER");
        Path target = dir.resolve("out.dcm");

        DicomWriter.writeWithPixelCopy(header.attributes(), header.layout(), source, target, true);

        DicomLayout in = header.layout();
        DicomLayout out = DicomStructure.walk(target);
        assertThat(in.pixelDataEnd() - in.pixelDataStart()).isGreaterThan(256 * 1024);
        assertThat(pixelBytes(target, out)).isEqualTo(pixelBytes(source, in));
        assertThat(out.fileLength()).isEqualTo(out.pixelDataEnd());
        AttributeList written = DicomReader.readAll(target).attributes();
        assertThat(Attribute.getSingleStringValueOrEmptyString(written, TagFromName.PatientName)).isEqualTo("EDITED^HEADER");
        assertThat(Attribute.getSingleIntegerValueOrDefault(written, TagFromName.Rows, 0)).isEqualTo(512);
    }

    @Test
    void aSourceShorterThanItsLayoutSaysIsAnError() throws Exception {
        Path source = oneCtSlice(true);
        DicomHeader header = DicomReader.readHeader(source);
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.setLength(header.layout().pixelDataEnd() - 100); // cut after the walk: the layout still promises the bytes
        }
        assertThatThrownBy(() -> DicomWriter.writeWithPixelCopy(header.attributes(), header.layout(), source, dir.resolve("out.dcm"), false))
            .isInstanceOf(IOException.class).hasMessageContaining("source ended");
    }

    @Test
    void aWriteAfterOneThatFailedPartWayCarriesOnlyItsOwnBytes() throws Exception {
        Path small = oneCtSlice(true);
        DicomHeader header = DicomReader.readHeader(small);
        Path before = dir.resolve("before.dcm"), after = dir.resolve("after.dcm");
        DicomWriter.writeWithPixelCopy(header.attributes(), header.layout(), small, before, false);

        Path cut = oneCtSlice(false); // the copy buffer is reused by the thread's next write: this one fails with it full
        DicomHeader cutHeader = DicomReader.readHeader(cut);
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
            f.setLength(cutHeader.layout().pixelDataEnd() - 1000);
        }
        assertThatThrownBy(() -> DicomWriter.writeWithPixelCopy(cutHeader.attributes(), cutHeader.layout(), cut, dir.resolve("cut.dcm"), false))
            .isInstanceOf(IOException.class);

        DicomWriter.writeWithPixelCopy(header.attributes(), header.layout(), small, after, false);
        assertThat(Files.readAllBytes(after)).isEqualTo(Files.readAllBytes(before));
    }

    private Path oneCtSlice(boolean small) throws IOException {
        Path in = dir.resolve(small ? "small" : "large");
        new CtSet(7, small).write(1, 1, in);
        try (Stream<Path> files = Files.walk(in)) {
            return files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }

    private static byte[] pixelBytes(Path file, DicomLayout layout) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOfRange(all, (int) layout.pixelDataStart(), (int) layout.pixelDataEnd());
    }
}

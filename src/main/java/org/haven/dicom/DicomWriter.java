package org.haven.dicom;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;

/**
 * Writes an edited data set in its original transfer syntax. When only the header changed, the PixelData element
 * is copied from the source file byte for byte ({@link FileChannel#transferTo}): pixel data is never loaded into
 * the heap, so a 2 GB multi-frame costs what a 2 KB header costs.
 */
public final class DicomWriter {
    private static final String SOURCE_AE = "HAVEN";
    /** The header alone goes through this buffer (pixel data is copied by the channel): a few KB, rarely more. */
    private static final int HEADER_BUFFER = 16384;

    private DicomWriter() {}

    /**
     * Header from {@link DicomReader#readHeader} (edited), pixel bytes copied from {@code source} at the offsets of
     * {@code layout}. Writes to {@code target} atomically-ish: the caller writes to a temporary and renames. Forced
     * to the device before returning.
     */
    public static void writeWithPixelCopy(AttributeList header, DicomLayout layout, Path source, Path target) throws IOException {
        writeWithPixelCopy(header, layout, source, target, true);
    }

    /** As above; {@code sync} false leaves the bytes to the OS's write-back (batch runs, see DeidentifyStage). */
    public static void writeWithPixelCopy(AttributeList header, DicomLayout layout, Path source, Path target, boolean sync) throws IOException {
        if (!layout.canStreamPixelData()) throw new IllegalArgumentException("layout does not allow streaming pixel data");
        String ts = layout.transferSyntaxUID();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), HEADER_BUFFER)) {
            prepareMeta(header, ts);
            header.write(out, ts, true, false);
            out.flush();
        } catch (DicomException e) {
            throw new DicomWriteException("cannot write header: " + e.getClass().getSimpleName(), e);
        }
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long pos = layout.pixelDataStart();
            long remaining = layout.pixelDataEnd() - pos;
            while (remaining > 0) {
                long n = in.transferTo(pos, remaining, out);
                if (n <= 0) throw new IOException("source ended while copying pixel data");
                pos += n;
                remaining -= n;
            }
            if (sync) out.force(true);
        }
    }

    /** The whole data set (PixelData included, if any) through PixelMed, forced to the device before returning. */
    public static void writeAll(AttributeList list, String transferSyntaxUID, Path target) throws IOException {
        writeAll(list, transferSyntaxUID, target, true);
    }

    /** As above; {@code sync} false leaves the bytes to the OS's write-back (batch runs, see DeidentifyStage). */
    public static void writeAll(AttributeList list, String transferSyntaxUID, Path target, boolean sync) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 65536)) {
            prepareMeta(list, transferSyntaxUID);
            list.write(out, transferSyntaxUID, true, false);
        } catch (DicomException e) {
            throw new DicomWriteException("cannot write data set: " + e.getClass().getSimpleName(), e);
        }
        if (!sync) return;
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Fresh file meta from the (remapped) SOP Class/Instance UIDs; data set group lengths are retired: drop them. */
    private static void prepareMeta(AttributeList list, String ts) throws DicomException {
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        list.remove(TagFromName.DataSetTrailingPadding);
        FileMetaInformation.addFileMetaInformation(list, ts, SOURCE_AE);
    }
}

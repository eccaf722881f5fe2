package org.haven.dicom;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
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
 * is copied from the source file byte for byte, a chunk at a time: pixel data is never loaded into the heap whole,
 * so a 2 GB multi-frame needs what a 2 KB header needs.
 */
public final class DicomWriter {
    private static final String SOURCE_AE = "HAVEN";
    /**
     * Header and pixel data go out through one buffer of this size: a typical CT or MR file (a few KB of header,
     * 32-512 KB of pixels) is one or a few write calls. Larger pixel data is copied in chunks of this size.
     */
    private static final int COPY_BUFFER = 256 * 1024;
    /** One buffer per thread, reused file after file (a new one per file was ~15 % of a batch's allocation). */
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(COPY_BUFFER));

    private DicomWriter() {}

    /**
     * Header from {@link DicomReader#readHeader} (edited), pixel bytes copied from {@code source} at the offsets of
     * {@code layout}. Writes to {@code target} atomically-ish: the caller writes to a temporary and renames. Forced
     * to the device before returning.
     */
    public static void writeWithPixelCopy(AttributeList header, DicomLayout layout, Path source, Path target) throws IOException {
        writeWithPixelCopy(header, layout, source, target, true);
    }

    /**
     * As above; {@code sync} false leaves the bytes to the OS's write-back (batch runs, see DeidentifyStage).
     * The pixel bytes are read into the output buffer, not mapped ({@code FileChannel.transferTo} between two files
     * maps the source and unmaps it per call: on small files the unmapping's TLB shootdown cost more than the copy).
     */
    public static void writeWithPixelCopy(AttributeList header, DicomLayout layout, Path source, Path target, boolean sync) throws IOException {
        if (!layout.canStreamPixelData()) throw new IllegalArgumentException("layout does not allow streaming pixel data");
        String ts = layout.transferSyntaxUID();
        long pos = layout.pixelDataStart();
        long remaining = layout.pixelDataEnd() - pos;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                 StandardOpenOption.WRITE);
             FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            ChunkOutput buffered = new ChunkOutput(out, BUFFERS.get());
            try {
                prepareMeta(header, ts);
                header.write(buffered, ts, true, false);
            } catch (DicomException e) {
                throw new DicomWriteException("cannot write header: " + e.getClass().getSimpleName(), e);
            }
            buffered.copyFrom(in, pos, remaining);
            buffered.flush();
            if (sync) out.force(true);
        }
    }

    /**
     * A buffered stream onto a channel that can also fill its buffer from another channel (the pixel bytes), and
     * leaves closing the channel to its owner.
     */
    private static final class ChunkOutput extends OutputStream {
        private final FileChannel out;
        private final ByteBuffer buffer;

        /** {@code buffer}'s content is discarded (a write that failed part way leaves some behind). */
        ChunkOutput(FileChannel out, ByteBuffer buffer) {
            this.out = out;
            this.buffer = buffer.clear();
        }

        @Override public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) drain();
            buffer.put((byte) b);
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (!buffer.hasRemaining()) drain();
                int n = Math.min(len, buffer.remaining());
                buffer.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        /** Appends {@code length} bytes of {@code in} from {@code position}: the source ending early is an error. */
        void copyFrom(FileChannel in, long position, long length) throws IOException {
            while (length > 0) {
                if (!buffer.hasRemaining()) drain();
                int limit = buffer.limit();
                if (buffer.remaining() > length) buffer.limit(buffer.position() + (int) length);
                int n;
                try {
                    n = in.read(buffer, position);
                } finally {
                    buffer.limit(limit);
                }
                if (n <= 0) throw new IOException("source ended while copying pixel data");
                position += n;
                length -= n;
            }
        }

        @Override public void flush() throws IOException { drain(); }

        private void drain() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) out.write(buffer);
            buffer.clear();
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

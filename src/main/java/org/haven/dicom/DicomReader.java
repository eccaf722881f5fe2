package org.haven.dicom;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

/**
 * Reads DICOM files for Haven: walks the structure strictly ({@link DicomStructure}), then lets PixelMed parse the
 * header (up to PixelData) or the whole file, repairs messy but harmless values ({@link ValueRepairs}) and checks
 * values that later stages rely on ({@link ValueChecks}).
 */
public final class DicomReader {
    /** PixelMed logs through java.util.logging, sometimes with attribute values: keep it silent. */
    private static final Logger PIXELMED_LOG = Logger.getLogger("com.pixelmed");
    static {
        PIXELMED_LOG.setLevel(Level.OFF);
        PIXELMED_LOG.setUseParentHandlers(false);
    }

    private DicomReader() {}

    /** The header only: PixelData is not read (its offsets are in the layout). */
    public static DicomHeader readHeader(Path file) throws UnreadableDicomException {
        DicomLayout layout = DicomStructure.walk(file);
        AttributeList list = parse(file, layout, true);
        java.util.List<String> repairs = ValueRepairs.repair(layout, list);
        ValueChecks.check(list);
        requirePixelsOfAnImage(layout, list);
        return new DicomHeader(layout, list, repairs);
    }

    /**
     * An image header (Rows present) with no pixel data at all is a file cut short at an element boundary: the
     * walker cannot tell, the header can. (Deflated files are not walked, float pixel data has its own tags.)
     */
    static void requirePixelsOfAnImage(DicomLayout layout, AttributeList list) throws UnreadableDicomException {
        if (layout.deflated() || layout.hasPixelData() || list.get(TagFromName.Rows) == null) return;
        if (list.get(TagFromName.FloatPixelData) != null || list.get(TagFromName.DoubleFloatPixelData) != null) return;
        throw new UnreadableDicomException("image attributes (Rows) but no PixelData: file cut short?");
    }

    /** The whole data set including PixelData (loaded once, kept compressed if it is). */
    public static DicomHeader readAll(Path file) throws UnreadableDicomException {
        DicomLayout layout = DicomStructure.walk(file);
        AttributeList list = parse(file, layout, false);
        java.util.List<String> repairs = ValueRepairs.repair(layout, list);
        ValueChecks.check(list);
        requirePixelsOfAnImage(layout, list);
        return new DicomHeader(layout, list, repairs);
    }

    static AttributeList parse(Path file, DicomLayout layout, boolean headerOnly) throws UnreadableDicomException {
        // a buffer no larger than what is read: the file, or the header up to PixelData's tag (a 64 KB one per parse
        // was most of a small file's parse allocation; a whole 39 KB file's for a 6 KB header, still 4 % of a batch's)
        long read = headerOnly && layout.hasPixelData() ? layout.pixelDataStart() + 16 : layout.fileLength();
        int buffer = (int) Math.max(8192, Math.min(65536, read));
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), buffer)) {
            DicomInputStream in = layout.hasFileMeta()
                ? new DicomInputStream(raw)
                : new DicomInputStream(raw, layout.transferSyntaxUID(), false);
            AttributeList list = new AttributeList();
            list.setDecompressPixelData(false);
            if (headerOnly) {
                list.read(in, TagFromName.PixelData);
            } else {
                list.read(in);
            }
            if (!layout.hasFileMeta()) {
                // raw data sets carry no meta: record the syntax they were read with, for the writers
                com.pixelmed.dicom.Attribute ts = new com.pixelmed.dicom.UniqueIdentifierAttribute(TagFromName.TransferSyntaxUID);
                ts.addValue(layout.transferSyntaxUID());
                list.put(ts);
            }
            return list;
        } catch (DicomException | IOException | RuntimeException e) {
            throw new UnreadableDicomException("PixelMed cannot parse the data set: " + e.getClass().getSimpleName());
        }
    }
}

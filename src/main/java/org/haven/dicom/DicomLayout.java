package org.haven.dicom;

/**
 * Where things are in a DICOM file, found by {@link DicomStructure} without reading values.
 *
 * @param hasFileMeta      a Part 10 preamble and file meta group are present
 * @param transferSyntaxUID the data set's transfer syntax (guessed for raw data sets without meta)
 * @param pixelDataStart   offset of the PixelData element's tag, or -1 when the file has none
 * @param pixelDataEnd     offset just after the PixelData element (after the sequence delimiter if encapsulated)
 * @param fileLength       size of the file in bytes
 * @param onlyPaddingAfterPixelData nothing but data set trailing padding (FFFC,FFFC), which carries no meaning and is
 *                         dropped, follows the PixelData element
 */
public record DicomLayout(boolean hasFileMeta, String transferSyntaxUID, boolean explicitVr, boolean bigEndian,
                          boolean deflated, long pixelDataStart, long pixelDataEnd, boolean encapsulated,
                          long fileLength, boolean onlyPaddingAfterPixelData, boolean metaGroupLengthMissing,
                          boolean encapsulatedIcon) {

    public boolean hasPixelData() { return pixelDataStart >= 0; }

    /** Elements other than trailing padding after the PixelData element (e.g. private groups above 7FE0). */
    public boolean hasElementsAfterPixelData() { return hasPixelData() && pixelDataEnd < fileLength && !onlyPaddingAfterPixelData; }

    /**
     * The header can be edited and the pixel bytes copied through unchanged: an uncompressed-header transfer syntax
     * (not deflated) with nothing after the pixel data.
     */
    public boolean canStreamPixelData() { return hasFileMeta && !deflated && hasPixelData() && !hasElementsAfterPixelData(); }
}

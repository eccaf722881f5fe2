package org.haven.pixel;

import java.util.Locale;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

/** Image Pixel module facts needed to address samples; from the header. */
record PixelLayout(int rows, int columns, int frames, int samplesPerPixel, int bitsAllocated, int bitsStored,
                   boolean signed, String photometric, int planarConfiguration) {

    static PixelLayout of(AttributeList h) throws UnsupportedPixelsException {
        int rows = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Columns, 0);
        int frames = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.NumberOfFrames, 1);
        int spp = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.SamplesPerPixel, 1);
        int ba = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.BitsAllocated, 0);
        int bs = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.BitsStored, ba);
        int pr = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.PixelRepresentation, 0);
        String pi = Attribute.getSingleStringValueOrEmptyString(h, TagFromName.PhotometricInterpretation).trim().toUpperCase(Locale.ROOT);
        int pc = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.PlanarConfiguration, 0);
        if (rows <= 0 || cols <= 0) throw new UnsupportedPixelsException("Rows/Columns missing or zero");
        if (frames <= 0) frames = 1;
        if (spp != 1 && spp != 3) throw new UnsupportedPixelsException("SamplesPerPixel " + spp + " not supported");
        if (ba != 8 && ba != 16) throw new UnsupportedPixelsException("BitsAllocated " + ba + " not supported (8 and 16 are)");
        if (bs <= 0 || bs > ba) bs = ba;
        return new PixelLayout(rows, cols, frames, spp, ba, bs, pr == 1, pi, pc);
    }

    /** Samples per frame as stored (YBR_FULL_422: two samples per pixel). */
    long samplesPerFrame() {
        long px = (long) rows * columns;
        return photometric.equals("YBR_FULL_422") ? px * 2 : px * samplesPerPixel;
    }
}

package org.haven.pixel;

import java.util.List;

/**
 * What {@link PixelRedactor#redact} did, for the audit record (no pixel or header text in it).
 *
 * @param ruleId             rule applied
 * @param method             how the pixels were edited
 * @param transferSyntaxIn   transfer syntax of the input
 * @param transferSyntaxOut  transfer syntax the dataset must now be written in (also set in the list's
 *                           TransferSyntaxUID when it holds File Meta Information)
 * @param frames             number of frames in the image
 * @param boxes              rectangles blanked after clipping to the image (union over frames; for JPEG baseline
 *                           the 8×8/MCU-aligned area that was actually blanked is larger)
 * @param pixelsBlanked      pixel positions set to blank, summed over frames
 * @param iconImageRemoved   an Icon Image Sequence (a thumbnail of the unredacted pixels) was removed
 * @param overlayBitsCleared overlay bits (60xx planes, separate or embedded) cleared under the boxes
 */
public record RedactionResult(String ruleId, Method method, String transferSyntaxIn, String transferSyntaxOut,
                              int frames, List<Box> boxes, long pixelsBlanked, boolean iconImageRemoved, long overlayBitsCleared) {

    public RedactionResult {
        boxes = List.copyOf(boxes);
    }

    public RedactionResult(String ruleId, Method method, String transferSyntaxIn, String transferSyntaxOut,
                           int frames, List<Box> boxes, long pixelsBlanked, boolean iconImageRemoved) {
        this(ruleId, method, transferSyntaxIn, transferSyntaxOut, frames, boxes, pixelsBlanked, iconImageRemoved, 0);
    }

    public enum Method {
        /** Uncompressed pixel data edited in place; transfer syntax unchanged. */
        UNCOMPRESSED,
        /** JPEG baseline: DCT blocks covering the boxes set to uniform mid-grey, rest of the bitstream untouched (no new loss). */
        JPEG_BLOCKS,
        /** RLE decoded, blanked, re-encoded as RLE (lossless). */
        RLE_REENCODED,
        /** Lossless-compressed (JPEG lossless, JPEG 2000) decoded, blanked, written uncompressed (Explicit VR LE). */
        DECODED_UNCOMPRESSED,
        /** Nothing to blank (the rule has no rectangles for this image). */
        NOTHING
    }

    /** True when the transfer syntax changed and the writer must use {@link #transferSyntaxOut()}. */
    public boolean transferSyntaxChanged() { return !transferSyntaxIn.equals(transferSyntaxOut); }
}

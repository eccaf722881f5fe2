package org.haven.pixel;

/**
 * One word OCR read from the output pixels or from an overlay plane drawn over them. {@code text} may be an
 * identifier: it belongs in findings and the quarantine record, never in log lines ({@link #toString()} leaves it out).
 *
 * @param frame      0-based image frame
 * @param text       the word as read
 * @param confidence Tesseract confidence 0–100
 * @param box        where, in image pixel coordinates (overlay words mapped through OverlayOrigin)
 * @param overlay    overlay group (0x6000–0x601E) the word was read from, 0 for the image's own pixels
 */
public record OcrHit(int frame, String text, float confidence, Box box, int overlay) {

    public OcrHit(int frame, String text, float confidence, Box box) { this(frame, text, confidence, box, 0); }

    /** "6000" for a word read from an overlay plane, "" for the pixels. */
    public String overlayName() { return overlay == 0 ? "" : String.format("%04X", overlay); }

    @Override
    public String toString() {
        return "OcrHit[frame=" + frame + (overlay == 0 ? "" : ", overlay=" + overlayName()) + ", chars=" + text.length()
            + ", confidence=" + confidence + ", box=" + box + "]";
    }
}

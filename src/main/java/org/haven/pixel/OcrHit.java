package org.haven.pixel;

/**
 * One word OCR read from the output pixels. {@code text} may be an identifier: it belongs in findings and the
 * quarantine record, never in log lines ({@link #toString()} leaves it out).
 *
 * @param frame      0-based frame
 * @param text       the word as read
 * @param confidence Tesseract confidence 0–100
 * @param box        where, in pixel coordinates
 */
public record OcrHit(int frame, String text, float confidence, Box box) {

    @Override
    public String toString() { return "OcrHit[frame=" + frame + ", chars=" + text.length() + ", confidence=" + confidence + ", box=" + box + "]"; }
}

package org.haven.pixel;

import java.util.List;

/**
 * Outcome of the OCR check: pass, or quarantine {@code pixel-text} with the offending hits (text and box, for the
 * quarantine record only).
 */
public record OcrVerdict(boolean pass, String quarantineReason, List<OcrHit> offending) {

    public static final String PIXEL_TEXT = "pixel-text";

    public OcrVerdict {
        offending = List.copyOf(offending);
    }

    public static OcrVerdict passed() { return new OcrVerdict(true, null, List.of()); }

    public static OcrVerdict quarantine(List<OcrHit> offending) { return new OcrVerdict(false, PIXEL_TEXT, offending); }
}

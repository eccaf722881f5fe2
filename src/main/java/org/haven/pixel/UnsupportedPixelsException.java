package org.haven.pixel;

/**
 * The pixel stage cannot edit these pixels safely (transfer syntax without a decoder, bit depth or colour model it does
 * not handle, or a rule that does not fit the image). The pipeline quarantines the instance under {@link #reason()}.
 * Messages name technical facts only, never pixel or header text.
 */
public class UnsupportedPixelsException extends Exception {
    /** Quarantine reason for pixel data that cannot be edited safely. */
    public static final String PIXELS_UNSUPPORTED = "pixels-unsupported";
    /** Quarantine reason for a rule that does not fit the image (e.g. no ultrasound regions to keep). */
    public static final String PIXELS_UNVERIFIED = "pixels-unverified";

    private final String reason;

    public UnsupportedPixelsException(String message) { this(PIXELS_UNSUPPORTED, message, null); }

    public UnsupportedPixelsException(String message, Throwable cause) { this(PIXELS_UNSUPPORTED, message, cause); }

    public UnsupportedPixelsException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Quarantine reason code: {@value #PIXELS_UNSUPPORTED} or {@value #PIXELS_UNVERIFIED}. */
    public String reason() { return reason; }
}

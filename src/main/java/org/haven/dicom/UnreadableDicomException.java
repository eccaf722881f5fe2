package org.haven.dicom;

/**
 * A file Haven cannot safely parse: not DICOM, truncated, wrong VR, broken sequence, invalid value. The message
 * names offsets, tags and VRs only, never values, so it can be logged and shown in the quarantine.
 */
public class UnreadableDicomException extends Exception {
    public UnreadableDicomException(String message) { super(message); }

    public UnreadableDicomException(String message, Throwable cause) { super(message, cause); }
}

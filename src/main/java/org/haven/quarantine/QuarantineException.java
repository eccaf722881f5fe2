package org.haven.quarantine;

/**
 * Thrown by a stage that decides a file must be held. The route's error handler sends it to the quarantine with
 * this reason. Reasons are short codes (unreadable, unknown-device, ...); details never contain identifying values.
 */
public class QuarantineException extends Exception {
    private final String reason;

    public QuarantineException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public String reason() { return reason; }
}

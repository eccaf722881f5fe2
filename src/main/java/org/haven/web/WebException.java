package org.haven.web;

/** An HTTP error with a message for the client (never containing identifying values). */
public final class WebException extends RuntimeException {
    private final int status;

    public WebException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }
}

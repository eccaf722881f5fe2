package org.haven.deidentify;

/** A dataset could not be de-identified. Messages name attributes and tags, never values. */
public class DeidentificationException extends RuntimeException {
    public DeidentificationException(String message, Throwable cause) { super(message, cause); }
}

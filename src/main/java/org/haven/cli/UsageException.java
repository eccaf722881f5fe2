package org.haven.cli;

/** Bad command-line arguments: reported with the command's usage line, exit code 2. */
public class UsageException extends Exception {
    public UsageException(String message) { super(message); }
}

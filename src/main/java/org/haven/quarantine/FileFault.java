package org.haven.quarantine;

import java.io.IOException;

/**
 * An I/O-shaped failure that is the file's (or the message's) own, not the machine's: a message without a body, a
 * file that is neither staged nor quarantined, no valid release path. Retrying cannot help, so {@link FailureKind}
 * does not count it as infrastructure and the file ends in the quarantine after {@code haven.max-deliveries}.
 * The message must not contain identifying values (it becomes the quarantine detail).
 */
public class FileFault extends IOException {
    public FileFault(String message) { super(message); }

    public FileFault(String message, Throwable cause) { super(message, cause); }
}

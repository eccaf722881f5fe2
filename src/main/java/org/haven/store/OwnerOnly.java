package org.haven.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Folders and files that hold identifiers (workspace, store, quarantine, exports) are the Haven user's alone: a
 * folder at 0700 hides everything under it whatever the umask gave each file. {@code ./run.sh} also sets umask 077.
 * On file systems without POSIX permissions this does nothing.
 */
public final class OwnerOnly {
    private OwnerOnly() {}

    /** Creates (if needed) and restricts each folder to its owner. */
    public static void restrict(List<Path> folders) throws IOException {
        for (Path p : folders) {
            Files.createDirectories(p);
            try {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                return;
            }
        }
    }

    /** A new file (an export) readable and writable by its owner only; an existing one is restricted and replaced. */
    public static OutputStream newFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}

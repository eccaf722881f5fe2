package org.haven.ingest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Which files some process still has open, from {@code /proc/<pid>/fd} (Linux). A board's writer that pauses longer
 * than the stability window still holds its file open, so "unchanged for a while" is not "complete". Only processes
 * this one may inspect are seen (same user, or root): writers running as other users or on other hosts (network
 * shares) are invisible, and their boards must use the {@code rename} or {@code done-marker} convention.
 */
final class OpenFiles {
    private static final Path PROC = Path.of("/proc");

    private OpenFiles() {}

    /** True when /proc can be read at all (Linux); elsewhere only stability and the naming conventions apply. */
    static boolean available() { return Files.isDirectory(PROC.resolve("self").resolve("fd")); }

    /** Real paths of every file some visible process has open (this one included: it opens inbox files only to stage them). */
    static Set<String> snapshot() {
        Set<String> open = new HashSet<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC)) {
            for (Path proc : procs) {
                String name = proc.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            open.add(Files.readSymbolicLink(fd).toString());
                        } catch (IOException | UnsupportedOperationException e) {
                            // the descriptor closed between listing and reading: not open any more
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // a process that ended, or one we may not inspect
                }
            }
        } catch (IOException e) {
            return open;
        }
        return open;
    }
}

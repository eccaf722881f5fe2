package org.haven.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Free space where Haven writes (staging, outgoing, release, quarantine, broker journal, embedded store). Below the
 * watermark ({@code haven.disk.min-free-mb}) intake pauses instead of failing half-way: a full disk stops the broker,
 * leaves partial copies and corrupts journals; a paused intake just leaves files in the inbox until space returns.
 */
public final class DiskSpace {
    private final List<Path> places;
    private final long minFreeBytes;

    public DiskSpace(List<Path> places, long minFreeMb) {
        this.places = places;
        this.minFreeBytes = minFreeMb * 1024 * 1024;
    }

    /** A description of the first place below the watermark (no file names: folder roles only), or empty when all is well. */
    public Optional<String> shortage() {
        for (Path p : places) {
            Path existing = p;
            while (existing != null && !Files.exists(existing)) existing = existing.toAbsolutePath().getParent();
            if (existing == null) continue;
            try {
                long free = Files.getFileStore(existing).getUsableSpace();
                if (free < minFreeBytes) {
                    return Optional.of(String.format("free space %d MB below the watermark of %d MB (%s)",
                        free / (1024 * 1024), minFreeBytes / (1024 * 1024), p.getFileName()));
                }
            } catch (IOException e) {
                return Optional.of("free space unknown (" + e.getClass().getSimpleName() + ")");
            }
        }
        return Optional.empty();
    }

    /** Throws when below the watermark: callers roll back and try again later (an infrastructure failure). */
    public void require() throws IOException {
        Optional<String> s = shortage();
        if (s.isPresent()) throw new LowDiskSpaceException(s.get());
    }

    /** Disk space below the watermark: machine trouble, retried with back-off, never the file's fault. */
    public static final class LowDiskSpaceException extends IOException {
        public LowDiskSpaceException(String message) { super(message); }
    }
}

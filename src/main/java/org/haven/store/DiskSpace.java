package org.haven.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free space where Haven writes (staging, outgoing, release, quarantine, broker journal, embedded store). Below the
 * watermark ({@code haven.disk.min-free-mb}) intake pauses instead of failing half-way: a full disk stops the broker,
 * leaves partial copies and corrupts journals; a paused intake just leaves files in the inbox until space returns.
 */
public final class DiskSpace {
    private final List<Path> places;
    private final long minFreeBytes;
    /** The file store of each place: finding it reads the mount table, asked once per file it cost more than the check. */
    private final Map<Path, FileStore> stores = new ConcurrentHashMap<>();

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
                long free = stores.computeIfAbsent(existing, DiskSpace::storeOf).getUsableSpace();
                if (free < minFreeBytes) {
                    return Optional.of(String.format("free space %d MB below the watermark of %d MB (%s)",
                        free / (1024 * 1024), minFreeBytes / (1024 * 1024), p.getFileName()));
                }
            } catch (IOException | UncheckedIOException e) {
                stores.remove(existing);
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                return Optional.of("free space unknown (" + cause.getClass().getSimpleName() + ")");
            }
        }
        return Optional.empty();
    }

    private static FileStore storeOf(Path existing) {
        try {
            return Files.getFileStore(existing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

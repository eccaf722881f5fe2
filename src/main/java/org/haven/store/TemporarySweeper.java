package org.haven.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Half-written temporaries (".name.part") are what a crash leaves in staging/ and outgoing/; the real files are only
 * ever created by rename, so a temporary old enough that no live writer can own it is rubbish. Run at start-up.
 */
public final class TemporarySweeper {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TemporarySweeper.class);
    private final List<Path> folders;
    private final Duration age;

    /** A sweeper for a running node (the sweep-temporaries route): crash leftovers go within minutes, not at the next start. */
    public TemporarySweeper(List<Path> folders, Duration age) {
        this.folders = folders;
        this.age = age;
    }

    public void sweep() throws IOException {
        int n = sweepOlderThan(folders, age);
        if (n > 0) LOG.info("removed {} half-written temporaries older than {} min", n, age.toMinutes());
    }

    /** Deletes temporaries older than {@code age} under the folders; returns how many. */
    public static int sweepOlderThan(List<Path> folders, Duration age) throws IOException {
        FileTime before = FileTime.from(Instant.now().minus(age));
        int n = 0;
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) continue;
            List<Path> stale;
            try (Stream<Path> s = Files.walk(folder)) {
                stale = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".part"))
                    .filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).compareTo(before) < 0;
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
            }
            for (Path p : stale) if (Files.deleteIfExists(p)) n++;
        }
        return n;
    }
}

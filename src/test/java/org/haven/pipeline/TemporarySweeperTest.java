package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.haven.store.TemporarySweeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporarySweeperTest {
    @TempDir
    Path tmp;

    @Test
    void removesOnlyOldTemporaries() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("staging/ab"));
        Path old = Files.writeString(dir.resolve(".abc.dcm.12.34.part"), "half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path young = Files.writeString(dir.resolve(".def.dcm.12.35.part"), "being written");
        Path real = Files.writeString(dir.resolve("abc.dcm"), "a staged file");
        Files.setLastModifiedTime(real, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        assertThat(TemporarySweeper.sweepOlderThan(List.of(tmp.resolve("staging"), tmp.resolve("missing")), Duration.ofHours(1))).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(young).exists();
        assertThat(real).exists();
    }
}

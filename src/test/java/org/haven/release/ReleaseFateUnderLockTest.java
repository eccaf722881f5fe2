package org.haven.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release records its fate while it holds the claim's lock: a preferred encoding of the same instance that takes
 * the lock next sees the first file released, keeps its copy in the quarantine and replaces it. (With the fate
 * recorded after the lock was let go, the second file found no released holder, overwrote its copy, and both files
 * ended "released" on one path, the first one's bytes gone.)
 */
class ReleaseFateUnderLockTest {
    static final String FIRST = "ab" + "0".repeat(62);   // implicit VR: loses to the explicit VR copy
    static final String PREFERRED = "cd" + "0".repeat(62);

    @TempDir Path root;
    ReleaseFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void aPreferredEncodingArrivingDuringAReleaseOnH2() throws Exception {
        f = ReleaseFixture.h2(root);
        aPreferredEncodingArrivingDuringARelease();
    }

    @Test
    void aPreferredEncodingArrivingDuringAReleaseOnPostgres() throws Exception {
        f = ReleaseFixture.postgres(root, "release_lock");
        aPreferredEncodingArrivingDuringARelease();
    }

    void aPreferredEncodingArrivingDuringARelease() throws Exception {
        f.file(FIRST, ReleaseFixture.IMPLICIT);
        f.file(PREFERRED, ReleaseFixture.EXPLICIT);
        Path target = f.released();
        try (Connection blocker = f.store.connection()) {
            // an uncommitted fate for the first file holds its release between the move and its fate's commit
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.executeUpdate("insert into file_outcome (file_id, outcome, decided_at) values ('" + FIRST + "', 'quarantined', current_timestamp)");
            }
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> release(FIRST));
            for (int i = 0; i < 500 && !Files.exists(target); i++) Thread.sleep(10);
            assertThat(target).hasContent("deid ab");
            CompletableFuture<Void> preferred = CompletableFuture.runAsync(() -> release(PREFERRED));
            Thread.sleep(300); // the preferred copy either waits for the claim's lock, or (fate recorded too late) runs through
            blocker.rollback();
            first.get(20, TimeUnit.SECONDS);
            preferred.get(20, TimeUnit.SECONDS);
        }
        assertThat(target).hasContent("deid cd");
        assertThat(f.records.outcome(PREFERRED)).hasValueSatisfying(o -> assertThat(o.outcome()).isEqualTo("released"));
        assertThat(f.records.outcome(FIRST)).hasValueSatisfying(o -> {
            assertThat(o.outcome()).isEqualTo("quarantined");
            assertThat(o.reason()).isEqualTo("duplicate-instance");
        });
        assertThat(f.supersededCopy(FIRST)).hasContent("deid ab");
        assertThat(f.releasedOn(ReleaseFixture.PATH)).isEqualTo(1);
    }

    void release(String id) {
        try {
            f.releaser.release(f.message(id));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.haven.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.haven.store.ReleaseNotes;
import org.haven.store.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A release claims its path and records its fate in one commit, after renaming the copy into release/. A kill
 * between the rename and the commit leaves a copy there that the store knows nothing of; the release note written
 * before the rename is what finds it. Each case builds that state as the releaser leaves it (note, rename, no claim,
 * no fate, the original still staged) and then lets the file meet a fate: released on the path, held, or held while
 * another file of the instance holds the path. On H2 and on PostgreSQL.
 */
class ReleaseCutShortTest {
    static final String ID = "ab" + "0".repeat(62);
    static final String OTHER = "cd" + "0".repeat(62);

    @TempDir Path root;
    ReleaseFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void theRedeliveryFinishesTheRelease(String store) throws Exception {
        f = ReleaseFixture.on(store, root, "cut_short");
        f.file(ID, null);
        cutShortAfterTheRename(ID);
        f.releaser.release(f.message(ID));
        assertThat(f.released()).hasContent("deid ab");
        assertThat(f.records.outcome(ID)).hasValueSatisfying(o -> assertThat(o.outcome() + " " + o.location())
            .isEqualTo("released " + ReleaseFixture.PATH));
        assertThat(f.records.claimHolder(ReleaseFixture.PATH)).contains(ID);
        assertThat(notes().noteOf(ID)).doesNotExist();
        assertThat(f.ws.staged(ID)).doesNotExist();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aHoldWithdrawsTheCopy(String store) throws Exception {
        f = ReleaseFixture.on(store, root, "cut_short");
        f.file(ID, null);
        cutShortAfterTheRename(ID);
        f.hold(ID, "device-blocked"); // the journey ran again and ended in the quarantine (say the device was blocked)
        assertThat(f.records.outcome(ID)).hasValueSatisfying(o -> assertThat(o.outcome() + " " + o.reason())
            .isEqualTo("quarantined device-blocked"));
        assertThat(f.releasedFiles()).as("copies left in release/").isZero();
        assertThat(f.records.claimHolder(ReleaseFixture.PATH)).isEmpty();
        assertThat(notes().noteOf(ID)).doesNotExist();
    }

    /** While the cut-short file waited, another encoding of the instance was released on the same path. */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aHoldLeavesAnotherFilesReleaseOnThePath(String store) throws Exception {
        f = ReleaseFixture.on(store, root, "cut_short");
        f.file(ID, null);
        f.file(OTHER, null);
        cutShortAfterTheRename(ID);
        f.releaser.release(f.message(OTHER));
        assertThat(f.released()).hasContent("deid cd");
        f.hold(ID, "device-blocked");
        assertThat(f.released()).as("the other file's release").hasContent("deid cd");
        assertThat(f.records.claimHolder(ReleaseFixture.PATH)).contains(OTHER);
        assertThat(notes().noteOf(ID)).doesNotExist();
    }

    @Test
    void startUpSettlesNotesOfDecidedFiles() throws Exception {
        f = ReleaseFixture.h2(root);
        // held, killed before the hold withdrew the copy: no message comes back for a decided file
        f.file(ID, null);
        cutShortAfterTheRename(ID);
        f.records.decide(ID, "quarantined", "device-blocked", "held in a test", "device-blocked/" + ID + ".dcm", ReleaseFixture.NODE);
        assertThat(notes().settleDecided()).isEqualTo(1);
        assertThat(f.released()).as("the held file's copy").doesNotExist();
        assertThat(notes().noteOf(ID)).doesNotExist();

        // released, killed before the note was removed: the note goes, the release stays
        f.file(OTHER, null);
        f.releaser.release(f.message(OTHER));
        notes().begin(OTHER, ReleaseFixture.PATH);
        assertThat(notes().settleDecided()).isZero();
        assertThat(f.released()).hasContent("deid cd");
        assertThat(notes().noteOf(OTHER)).doesNotExist();
    }

    /** A claim not yet committed is invisible to a plain query; the withdrawal must wait for it and then leave the path. */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aWithdrawalWaitsForAReleaseInFlight(String store) throws Exception {
        f = ReleaseFixture.on(store, root, "cut_short");
        f.file(ID, null);
        f.file(OTHER, null);
        CountDownLatch claimed = new CountDownLatch(1), commit = new CountDownLatch(1);
        CompletableFuture<String> release = CompletableFuture.supplyAsync(() -> {
            try {
                return f.records.claimUnderLock(ReleaseFixture.PATH, OTHER, null, (c, holder) -> {
                    claimed.countDown();
                    try {
                        commit.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new java.io.IOException(e);
                    }
                    return holder;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(claimed.await(30, TimeUnit.SECONDS)).as("the release in flight claimed the path").isTrue();
        AtomicBoolean ran = new AtomicBoolean();
        FutureTask<Optional<Boolean>> withdrawal = new FutureTask<>(() -> f.records.whileUnclaimed(ReleaseFixture.PATH, ID, () -> ran.getAndSet(true)));
        Thread withdrawing = new Thread(withdrawal, "withdrawal");
        withdrawing.start();
        f.awaitLockWait(withdrawing); // the withdrawal waits on the uncommitted claim
        assertThat(ran).as("work while the path's claim is in flight").isFalse();
        commit.countDown();
        assertThat(release.get(30, TimeUnit.SECONDS)).isEqualTo(OTHER);
        assertThat(withdrawal.get(30, TimeUnit.SECONDS)).as("the withdrawal, after the claim committed").isEmpty();
        assertThat(ran).as("work on a path another file claimed").isFalse();
    }

    /** The state a kill leaves after the releaser's rename and before its commit. */
    void cutShortAfterTheRename(String id) throws Exception {
        notes().begin(id, ReleaseFixture.PATH);
        Workspace.moveInto(f.ws.outgoing(id), f.released());
    }

    ReleaseNotes notes() {
        return new ReleaseNotes(f.ws, f.records);
    }
}

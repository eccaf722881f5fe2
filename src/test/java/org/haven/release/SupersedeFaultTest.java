package org.haven.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;

import org.haven.store.SupersededCopies;
import org.haven.store.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A preferred encoding supersedes a released file: the loser's bytes are copied to the quarantine, the winner's copy
 * is renamed onto the release path, then the rows are written and committed. A fault or a crash between the rename
 * and the commit must leave the release path holding the bytes of the file the store says is released there, the
 * winner's copy where its redelivery finds it, and no quarantine copy without its record. (Before: the store said
 * the loser was released while the path held the winner's bytes, the winner's copy was gone and the loser's
 * quarantine copy had no record.) The faults are real: a constraint or a deferred trigger of the database.
 */
class SupersedeFaultTest {
    static final String LOSER = "ab" + "0".repeat(62);    // implicit VR, released first
    static final String WINNER = "cd" + "0".repeat(62);   // explicit VR: preferred

    @TempDir Path root;
    ReleaseFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void aFaultInTheSupersedesSqlPutsTheFilesBackOnH2() throws Exception {
        f = ReleaseFixture.h2(root);
        aFaultInTheSupersedesSqlPutsTheFilesBack();
    }

    @Test
    void aFaultInTheSupersedesSqlPutsTheFilesBackOnPostgres() throws Exception {
        f = ReleaseFixture.postgres(root, "supersede_fault");
        aFaultInTheSupersedesSqlPutsTheFilesBack();
    }

    void aFaultInTheSupersedesSqlPutsTheFilesBack() throws Exception {
        loserReleased();
        f.sql("alter table file_event add constraint refuse_superseded check (event <> 'superseded')");
        assertThatThrownBy(() -> f.releaser.release(f.message(WINNER))).isInstanceOf(SQLException.class);
        assertLoserStillReleased();
        assertThat(f.ws.outgoing(WINNER)).as("the winner's copy, back for its redelivery").hasContent("deid cd");
        assertThat(f.ws.staged(WINNER)).exists();
        f.sql("alter table file_event drop constraint refuse_superseded");
        f.releaser.release(f.message(WINNER));   // the redelivery
        assertWinnerReleased();
    }

    /** PostgreSQL only: H2 has no deferred constraints, so nothing fails at its commit. */
    @Test
    void aFaultAtTheCommitPutsTheFilesBackOnPostgres() throws Exception {
        f = ReleaseFixture.postgres(root, "supersede_commit");
        loserReleased();
        f.sql("create function refuse_claim_change() returns trigger language plpgsql as"
            + " $$ begin raise exception 'claim change refused' using errcode = '23514'; end $$");
        f.sql("create constraint trigger refuse_claim_change after update on released_instance deferrable initially deferred"
            + " for each row when (new.file_id <> old.file_id) execute function refuse_claim_change()");
        assertThatThrownBy(() -> f.releaser.release(f.message(WINNER))).isInstanceOf(SQLException.class)
            .hasMessageContaining("claim change refused");
        assertLoserStillReleased();
        assertThat(f.ws.outgoing(WINNER)).hasContent("deid cd");
        assertThat(f.ws.staged(WINNER)).exists();
        f.sql("drop trigger refuse_claim_change on released_instance");
        f.releaser.release(f.message(WINNER));
        assertWinnerReleased();
    }

    @Test
    void aCrashAfterTheRenameThenTheWinnerHeld() throws Exception {
        f = ReleaseFixture.h2(root);
        loserReleased();
        crashAfterTheRename();
        f.hold(WINNER, "internal-error");   // e.g. its redelivery reached max-deliveries
        assertLoserStillReleased();
        assertThat(f.records.outcome(WINNER)).hasValueSatisfying(o -> assertThat(o.reason()).isEqualTo("internal-error"));
        assertThat(f.ws.held("internal-error", WINNER)).hasContent("orig cd");
        assertThat(f.ws.outgoing(WINNER)).doesNotExist();
    }

    @Test
    void aCrashAfterTheRenameThenARestartAndTheRedelivery() throws Exception {
        f = ReleaseFixture.h2(root);
        loserReleased();
        crashAfterTheRename();
        new SupersededCopies(f.ws, f.records, ReleaseFixture.NODE).finishInterrupted();   // what a node's start-up runs
        assertLoserStillReleased();
        assertThat(f.ws.outgoing(WINNER)).hasContent("deid cd");
        f.releaser.release(f.message(WINNER));   // redelivered where its journey left it (e.g. OCR's queue): not re-written
        assertWinnerReleased();
        assertThat(new SupersededCopies(f.ws, f.records, ReleaseFixture.NODE).finishInterrupted()).as("a committed supersede, at the next start").isZero();
        assertWinnerReleased();
    }

    void loserReleased() throws Exception {
        f.file(LOSER, ReleaseFixture.IMPLICIT);
        f.file(WINNER, ReleaseFixture.EXPLICIT);
        f.releaser.release(f.message(LOSER));
        assertThat(f.released()).hasContent("deid ab");
    }

    /**
     * The state a kill leaves after the winner's rename and before its commit, step by step as the releaser takes
     * them: the supersede begun (committed on its own), the loser's bytes and sidecar in the quarantine, the rename.
     */
    void crashAfterTheRename() throws Exception {
        f.records.supersedeBegun(WINNER, ReleaseFixture.PATH, ReleaseFixture.NODE);
        new SupersededCopies(f.ws, f.records, ReleaseFixture.NODE).keep(f.released(), LOSER, WINNER, "superseded by a test");
        Workspace.moveInto(f.ws.outgoing(WINNER), f.released());
    }

    /** The store says the loser is released on the path, the path holds its bytes, no quarantine copy is left. */
    void assertLoserStillReleased() throws Exception {
        assertThat(f.released()).as("the released file's bytes").hasContent("deid ab");
        assertThat(f.records.outcome(LOSER)).hasValueSatisfying(o -> {
            assertThat(o.outcome()).isEqualTo("released");
            assertThat(o.location()).isEqualTo(ReleaseFixture.PATH);
        });
        assertThat(f.records.claimHolder(ReleaseFixture.PATH)).as("the claim's holder").contains(LOSER);
        assertThat(ReleaseFixture.filesUnder(f.ws.quarantine().resolve("duplicate-instance"))).as("quarantine copies").isZero();
    }

    void assertWinnerReleased() throws Exception {
        assertThat(f.released()).hasContent("deid cd");
        assertThat(f.records.outcome(WINNER)).hasValueSatisfying(o -> assertThat(o.outcome() + " " + o.location())
            .isEqualTo("released " + ReleaseFixture.PATH));
        assertThat(f.records.outcome(LOSER)).hasValueSatisfying(o -> assertThat(o.outcome() + " " + o.reason() + " " + o.location())
            .isEqualTo("quarantined duplicate-instance duplicate-instance/" + LOSER + ".dcm"));
        assertThat(f.supersededCopy(LOSER)).hasContent("deid ab");
        assertThat(f.supersededCopy(LOSER).resolveSibling(LOSER + ".json")).exists();
        assertThat(f.releasedOn(ReleaseFixture.PATH)).isEqualTo(1);
        assertThat(f.ws.staged(WINNER)).doesNotExist();
        assertThat(f.ws.outgoing(WINNER)).doesNotExist();
    }
}

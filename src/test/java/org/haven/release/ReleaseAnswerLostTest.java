package org.haven.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.haven.store.ReleaseNotes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release's commit lands but its answer is lost (the connection breaks between the commit and its acknowledgement).
 * The store then says the file is released where its copy is: the releaser must see that and finish, not move the
 * copy back out of release/ (which left a released fate without its file until a redelivery ran the whole journey
 * again) nor undo a supersede that happened.
 */
class ReleaseAnswerLostTest {
    static final String ID = "ab" + "0".repeat(62);
    static final String WINNER = "cd" + "0".repeat(62);

    @TempDir Path root;
    ReleaseFixture f;

    @BeforeEach
    void setUp() {
        f = ReleaseFixture.h2LosingAnswers(root);
    }

    @AfterEach
    void tearDown() throws Exception {
        LostAnswerDriver.arm(null);
        f.close();
    }

    @Test
    void aReleaseWhoseCommitLandedIsFinished() throws Exception {
        f.file(ID, null);
        LostAnswerDriver.arm("insert into file_outcome");
        f.releaser.release(f.message(ID));
        assertThat(LostAnswerDriver.fired()).as("the commit's answer was lost").isTrue();
        assertThat(f.released()).as("the released copy").hasContent("deid ab");
        assertThat(f.records.outcome(ID)).hasValueSatisfying(o -> assertThat(o.outcome() + " " + o.location())
            .isEqualTo("released " + ReleaseFixture.PATH));
        assertThat(f.ws.outgoing(ID)).doesNotExist();
        assertThat(f.ws.staged(ID)).doesNotExist();
        assertThat(new ReleaseNotes(f.ws, f.records).noteOf(ID)).doesNotExist();
    }

    @Test
    void aSupersedeWhoseCommitLandedIsFinished() throws Exception {
        f.file(ID, ReleaseFixture.IMPLICIT);
        f.file(WINNER, ReleaseFixture.EXPLICIT);
        f.releaser.release(f.message(ID));
        LostAnswerDriver.arm("update released_instance set file_id");
        f.releaser.release(f.message(WINNER));
        assertThat(LostAnswerDriver.fired()).as("the commit's answer was lost").isTrue();
        assertThat(f.released()).hasContent("deid cd");
        assertThat(f.records.outcome(WINNER)).hasValueSatisfying(o -> assertThat(o.outcome()).isEqualTo("released"));
        assertThat(f.records.outcome(ID)).hasValueSatisfying(o -> assertThat(o.outcome() + " " + o.reason())
            .isEqualTo("quarantined duplicate-instance"));
        assertThat(f.supersededCopy(ID)).hasContent("deid ab");
        assertThat(f.ws.outgoing(WINNER)).doesNotExist();
    }
}

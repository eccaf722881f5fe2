package org.haven.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing stays in release/ without a released outcome: a release whose outcome cannot be recorded is rolled back. */
class ReleaseRollbackTest {
    static final String ID = "ab" + "0".repeat(62);

    @TempDir Path root;
    ReleaseFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = ReleaseFixture.h2(root);
        f.file(ID, null);
    }

    @AfterEach
    void tearDown() throws Exception { f.close(); }

    @Test
    void anOutcomeThatCannotBeWrittenMovesTheFileBack() throws Exception {
        f.sql("alter table file_outcome rename to file_outcome_away");
        assertThatThrownBy(() -> f.releaser.release(f.message(ID))).isInstanceOf(SQLException.class);
        assertThat(f.releasedFiles()).isZero();
        assertThat(f.ws.outgoing(ID)).hasContent("deid ab");   // back where the redelivery finds it
        assertThat(f.ws.staged(ID)).exists();
        f.sql("alter table file_outcome_away rename to file_outcome");
        f.releaser.release(f.message(ID));                       // the redelivery
        assertThat(f.released()).hasContent("deid ab");
        assertThat(f.records.outcome(ID)).hasValueSatisfying(o -> assertThat(o.outcome()).isEqualTo("released"));
        assertThat(f.ws.staged(ID)).doesNotExist();
    }

    @Test
    void aFateRecordedElsewhereFirstTakesTheCopyOutOfRelease() throws Exception {
        f.records.decide(ID, "quarantined", "internal-error", "held by another delivery", "internal-error/" + ID + ".dcm", "other");
        Exchange e = f.message(ID);
        f.releaser.release(e);
        assertThat(f.releasedFiles()).isZero();
        assertThat(f.ws.outgoing(ID)).doesNotExist();
        assertThat(f.records.outcome(ID)).hasValueSatisfying(o -> assertThat(o.outcome()).isEqualTo("quarantined"));
        assertThat(f.records.claimHolder(ReleaseFixture.PATH)).as("the claim").isEmpty();
    }
}

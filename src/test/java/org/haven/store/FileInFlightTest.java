package org.haven.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.haven.classify.DeviceStore;
import org.haven.resolve.IdentityStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose fate is taken away again is in flight once more, in the same transaction: a held file reopened for a
 * device replay, a released file reopened for re-issue under a merged pseudonym. (The pipeline tests check the table
 * at their end, when those files have been decided again; this checks the moment between.)
 */
class FileInFlightTest {
    @TempDir Path tmp;

    @Test
    void filesWhoseFateIsTakenAwayAreInFlightAgain() throws Exception {
        try (Store store = Store.open("jdbc:h2:file:" + tmp.resolve("db/haven"), "sa", "", 2)) {
            FileRecords records = new FileRecords(store);
            String held = "a".repeat(64), released = "b".repeat(64);
            records.receive(held, "fife", "src", 1, "test");
            records.receive(released, "fife", "src", 1, "test");
            records.decide(held, "quarantined", "unknown-device", "", "unknown-device/" + held + ".dcm", "test");
            records.decide(released, "released", null, null, "p/x/1.dcm", "test");
            assertThat(new OperationsRecords(store).inFlightCount()).isZero();

            assertThat(new DeviceStore(store).reopen(held, "unknown-device", "trusted since", "test", () -> { }, () -> { })).isTrue();
            assertThat(new IdentityStore(store).reopenReleased(released, "p/x/1.dcm", "merged", "test", () -> { })).isTrue();

            assertThat(new OperationsRecords(store).inFlightCount()).isEqualTo(2);
            // what start-up resends: reopened (a replayed event), no fate yet
            assertThat(new DeviceStore(store).reopenedWithoutOutcome()).extracting(f -> f[0]).containsExactlyInAnyOrder(held, released);
            records.decide(held, "released", null, null, "p/x/2.dcm", "test");
            assertThat(new DeviceStore(store).reopenedWithoutOutcome()).extracting(f -> f[0]).containsExactly(released);
            records.decide(released, "released", null, null, "p/x/1.dcm", "test");
            assertThat(new DeviceStore(store).reopenedWithoutOutcome()).isEmpty();
            InFlightCheck.assertMatchesTheStore(store);
            FateCountCheck.assertMatchesTheStore(store);
        }
    }
}

package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.haven.deidentify.ProfileRegistry;
import org.haven.store.FateCountCheck;
import org.haven.store.FileRecords;
import org.haven.store.InFlightCheck;
import org.haven.store.OperationsRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reviewer releases a held file and the pipeline does not take it: while it is being handed over the file is in
 * flight with no fate, and when the hand-over fails it is held again as before (same reason and place, out of flight,
 * counted as held), with the failure in its audit trail.
 */
class ReviewSendFailsTest {
    @TempDir Path tmp;

    @Test
    void aFileThePipelineRefusesIsHeldAgainAsBefore() throws Exception {
        String id = "c".repeat(64);
        String location = "unknown-device/" + id + ".dcm";
        try (Store store = Store.open("jdbc:h2:file:" + tmp.resolve("db/haven"), "sa", "", 2)) {
            FileRecords records = new FileRecords(store);
            Workspace workspace = Workspace.under(tmp.resolve("work"), tmp.resolve("release"), tmp.resolve("quarantine"));
            records.receive(id, "fife", "src", 1, "test");
            records.decide(id, "quarantined", "unknown-device", "no registry entry", location, "test");
            Path held = workspace.quarantine().resolve(location);
            Files.createDirectories(held.getParent());
            Files.write(held, new byte[] {1, 2, 3});

            boolean[] handedOver = {false};
            Resubmitter refusing = request -> {
                // the moment between: taken out of the quarantine, in flight, no fate, not counted as held
                assertThat(records.outcome(id)).isEmpty();
                assertThat(new OperationsRecords(store).inFlightCount()).isEqualTo(1);
                assertThat(Files.exists(held)).isFalse();
                InFlightCheck.assertMatchesTheStore(store);
                FateCountCheck.assertMatchesTheStore(store);
                handedOver[0] = true;
                throw new IllegalStateException("broker down");
            };
            Review review = new Review(store, workspace, ProfileRegistry.load(Path.of("config/profiles")), "k".getBytes(), "test",
                refusing, null);

            assertThatThrownBy(() -> review.resubmit(id, "research", "looks clean", "rita", false))
                .isInstanceOf(WebException.class).hasMessageContaining("stays held");

            assertThat(handedOver[0]).as("the resubmitter was asked").isTrue();
            FileRecords.Outcome o = records.outcome(id).orElseThrow();
            assertThat(o.outcome()).isEqualTo("quarantined");
            assertThat(o.reason()).isEqualTo("unknown-device");
            assertThat(o.location()).isEqualTo(location);
            assertThat(held).exists();
            assertThat(new OperationsRecords(store).inFlightCount()).isZero();
            InFlightCheck.assertMatchesTheStore(store);
            FateCountCheck.assertMatchesTheStore(store);
            try (Connection c = store.connection();
                 PreparedStatement ps = c.prepareStatement("select count(*) from file_event where file_id = ? and event = 'review-release-failed'")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            }
        }
    }
}

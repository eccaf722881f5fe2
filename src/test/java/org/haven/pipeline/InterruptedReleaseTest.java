package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;

import org.haven.HavenHeaders;
import org.haven.store.FileRecords;
import org.haven.store.ReleaseNotes;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release cut short by kill -9 (EmbeddedCrashTest's rare failure): the releaser had moved the de-identified copy
 * onto its release path but the process died before the claim and fate were committed; after the restart the file's
 * journey ran again and ended in the quarantine. The copy stayed in release/ with no released outcome, a file the
 * researchers would receive that the store says was held. The state the kill leaves is made here exactly (a real
 * release, then its outcome row, "released" event and claim removed, the file back in flight, the release note the
 * releaser wrote before the rename and the original in staging put back) and the file is then held: its copy must
 * leave release/.
 */
class InterruptedReleaseTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aFileHeldAfterAnInterruptedReleaseLeavesNoCopyInRelease() throws Exception {
        AnswerKey key = new SyntheticArchive(7L).write(2, tmp.resolve("synth"));
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(TestNode.trustAll("research")).start()) {
            String id = null;
            FileRecords.Outcome released = null;
            for (AnswerKey.FileEntry f : key.files()) {
                Path input = tmp.resolve("synth").resolve(f.path());
                String candidate = node.submit(input, "tayside");
                FileRecords.Outcome o = node.awaitOutcome(candidate, WAIT);
                if ("released".equals(o.outcome())) {
                    id = candidate;
                    released = o;
                    Files.copy(input, node.haven.workspace().staged(id)); // as before the release deleted it
                    break;
                }
            }
            assertThat(id).as("a released synthetic file").isNotNull();
            node.awaitIdle(WAIT);
            Path copy = node.release().resolve(released.location());
            assertThat(copy).exists();
            try (Connection c = node.haven.store().connection()) {
                for (String sql : new String[] {"delete from file_outcome where file_id = ?",
                    "delete from file_event where file_id = ? and event = 'released'", "delete from released_instance where file_id = ?",
                    "insert into file_in_flight (file_id, received_at) select file_id, received_at from haven_file where file_id = ?"}) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
            }

            new ReleaseNotes(node.haven.workspace(), new FileRecords(node.haven.store())).begin(id, released.location());

            // the journey's second run ends in the quarantine (say the device was blocked in between)
            node.haven.camel().createProducerTemplate().sendBodyAndHeaders("direct:quarantine", "",
                Map.of(HavenHeaders.FILE_ID, id, HavenHeaders.REASON, "device-blocked", HavenHeaders.DETAIL, "blocked after a crash"));

            FileRecords.Outcome after = node.awaitOutcome(id, WAIT);
            assertThat(after.outcome() + " " + after.reason()).isEqualTo("quarantined device-blocked");
            assertThat(copy).as("the interrupted release's copy").doesNotExist();
            assertThat(CrashRecoveryTest.regularFiles(node.release(), ".dcm")).as("release/ holds only released files")
                .allSatisfy(p -> assertThat(p).isNotEqualTo(copy));
            assertThat(new ReleaseNotes(node.haven.workspace(), new FileRecords(node.haven.store())).noteOf(id))
                .as("the interrupted release's note").doesNotExist();
        }
    }
}

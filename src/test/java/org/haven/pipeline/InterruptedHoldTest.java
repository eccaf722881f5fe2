package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.haven.HavenHeaders;
import org.haven.store.FileRecords;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hold cut short by kill -9 (CrashRecoveryTest's rare failure): the quarantine had moved the original into
 * quarantine/missing-modality/ but not yet recorded the fate, and the stage's message was redelivered after the
 * restart. Running the stage again read a staged file that was no longer there and held the file as unreadable, a
 * different fate. The state the kill leaves is made here exactly (a real hold, then its outcome row and
 * "quarantined" event removed, as if the process died before writing them) and the message is delivered again, to
 * every stage queue: the file must end with the reason its hold began with, its original untouched in the quarantine.
 */
class InterruptedHoldTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String[] STAGES = {"classify", "deidentify", "ocr", "verify", "release"};

    @TempDir
    Path tmp;

    @Test
    void aRedeliveryAfterAHoldCutShortKeepsTheReasonTheHoldBeganWith() throws Exception {
        Path input = fileWithoutModality();
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(TestNode.trustAll("research")).start()) {
            String id = node.submit(input, "tayside");
            FileRecords.Outcome uncrashed = node.awaitOutcome(id, WAIT);
            assertThat(uncrashed.reason()).isEqualTo("missing-modality");
            Path original = node.quarantine().resolve(uncrashed.location());

            for (String stage : STAGES) {
                cutShortAfterTheMove(node, id);
                node.haven.camel().createProducerTemplate().sendBodyAndHeaders("jms:queue:haven." + stage + "?exchangePattern=InOnly", "",
                    Map.of(HavenHeaders.FILE_ID, id, HavenHeaders.BOARD, "tayside"));
                FileRecords.Outcome after = node.awaitOutcome(id, WAIT);
                assertThat(after.outcome() + " " + after.reason()).as("fate after a redelivery to %s (%s)", stage, after.detail())
                    .isEqualTo("quarantined missing-modality");
                assertThat(after.detail()).isEqualTo(uncrashed.detail());
                assertThat(after.location()).isEqualTo(uncrashed.location());
                assertThat(sha256(original)).as("the original, held where the hold put it").isEqualTo(id);
                assertThat(original.resolveSibling(id + ".json")).as("its sidecar").exists();
                node.awaitIdle(WAIT); // the audit event follows the outcome in the same delivery
                assertThat(PipelineTest.events(node, id)).as("audit after a redelivery to %s", stage).endsWith("quarantined", "hold-finished");
            }
            node.awaitIdle(WAIT);
            assertThat(Files.exists(node.haven.workspace().staged(id))).isFalse();
            assertThat(CrashRecoveryTest.regularFiles(node.release(), ".dcm")).isEmpty();
        }
    }

    /**
     * A stage that started before the hold moved the original (a second delivery of the same file, or one in flight
     * at the kill) then cannot read it, and asks the quarantine to hold it as unreadable: the hold that began first
     * decides.
     */
    @Test
    void aSecondHoldForAnotherReasonDefersToTheHoldThatMovedTheOriginal() throws Exception {
        Path input = fileWithoutModality();
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(TestNode.trustAll("research")).start()) {
            String id = node.submit(input, "tayside");
            FileRecords.Outcome uncrashed = node.awaitOutcome(id, WAIT);
            cutShortAfterTheMove(node, id);
            node.haven.camel().createProducerTemplate().sendBodyAndHeaders("direct:quarantine", null, Map.of(HavenHeaders.FILE_ID, id,
                HavenHeaders.REASON, "unreadable", HavenHeaders.DETAIL, "cannot read file: NoSuchFileException"));
            FileRecords.Outcome after = node.awaitOutcome(id, WAIT);
            assertThat(after.reason()).as(after.detail()).isEqualTo("missing-modality");
            assertThat(after.location()).isEqualTo(uncrashed.location());
            assertThat(node.quarantine().resolve("unreadable")).doesNotExist();
        }
    }

    /** Cut short before the move (hold begun, sidecar written, original still staged): the stage runs again as usual. */
    @Test
    void aHoldCutShortBeforeTheMoveIsDecidedAgainByItsStage() throws Exception {
        Path input = fileWithoutModality();
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(TestNode.trustAll("research")).start()) {
            String id = node.submit(input, "tayside");
            FileRecords.Outcome uncrashed = node.awaitOutcome(id, WAIT);
            cutShortAfterTheMove(node, id);
            Files.move(node.quarantine().resolve(uncrashed.location()), node.haven.workspace().staged(id));
            node.haven.camel().createProducerTemplate().sendBodyAndHeaders("jms:queue:haven.classify?exchangePattern=InOnly", "",
                Map.of(HavenHeaders.FILE_ID, id, HavenHeaders.BOARD, "tayside"));
            FileRecords.Outcome after = node.awaitOutcome(id, WAIT);
            assertThat(after.reason()).isEqualTo("missing-modality");
            node.awaitIdle(WAIT);
            assertThat(PipelineTest.events(node, id)).endsWith("classified", "holding", "quarantined").doesNotContain("hold-finished");
            assertThat(sha256(node.quarantine().resolve(after.location()))).isEqualTo(id);
        }
    }

    /**
     * Some holds have no message to come back (a too-large file is held straight from the inbox): the next start
     * finishes every hold cut short after its move, before any route runs.
     */
    @Test
    void theNextStartFinishesAHoldCutShortWithoutWaitingForARedelivery() throws Exception {
        Path input = fileWithoutModality();
        Path db = tmp.resolve("db").resolve("haven");
        String id;
        FileRecords.Outcome uncrashed;
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(TestNode.trustAll("research")).h2(db).start()) {
            id = node.submit(input, "tayside");
            uncrashed = node.awaitOutcome(id, WAIT);
            cutShortAfterTheMove(node, id);
            assertThat(node.records.outcome(id)).isEmpty();
        }
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(TestNode.trustAll("research")).h2(db).start()) {
            FileRecords.Outcome after = node.records.outcome(id).orElseThrow(() -> new AssertionError("no fate recorded at start-up"));
            assertThat(after.reason()).isEqualTo("missing-modality");
            assertThat(after.detail()).isEqualTo(uncrashed.detail());
            assertThat(after.location()).isEqualTo(uncrashed.location());
            assertThat(PipelineTest.events(node, id)).endsWith("quarantined", "hold-finished");
        }
    }

    /**
     * What kill -9 between the move into the quarantine and the fate leaves: no outcome row, no "quarantined" event,
     * the file still in flight.
     */
    private static void cutShortAfterTheMove(TestNode node, String id) throws Exception {
        node.awaitIdle(WAIT);
        try (Connection c = node.haven.store().connection()) {
            for (String sql : new String[] {"delete from file_outcome where file_id = ?",
                "delete from file_event where file_id = ? and event in ('quarantined', 'hold-finished')",
                "insert into file_in_flight (file_id, received_at) select file_id, received_at from haven_file where file_id = ?"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** A synthetic image with its Modality removed: held as missing-modality by classify. */
    private Path fileWithoutModality() throws Exception {
        AnswerKey key = new SyntheticArchive(7L).write(1, tmp.resolve("synth"));
        AttributeList list = new AttributeList();
        list.read(tmp.resolve("synth").resolve(key.files().get(0).path()).toString());
        list.remove(TagFromName.Modality);
        Path out = tmp.resolve("no-modality.dcm");
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "HAVENTEST");
        list.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.TagFromName;
import org.haven.dicom.DicomReader;
import org.haven.store.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messy but harmless files are repaired, not rejected, and each repair is in the audit trail (and the sidecar of a
 * file held for another reason): a SeriesTime in ACR-NEMA form with 8 fraction digits is released with a standard
 * TM; a file meta without its group length is no longer unreadable (it is held for its missing Modality).
 */
class RepairTest {
    @TempDir
    Path tmp;

    @Test
    void messyValuesAreRepairedAndAudited() throws Exception {
        Corpus.assumeAvailable();
        try (TestNode node = TestNode.builder(tmp).devices(TestNode.trustAll("research")).start()) {
            String time = node.submit(Corpus.ROOT.resolve("dcmjs/test/invalid-vr-length-test.dcm"), "repair");
            String meta = node.submit(Corpus.ROOT.resolve("pydicom/test_files/no_meta_group_length.dcm"), "repair");

            FileRecords.Outcome released = node.awaitOutcome(time, Duration.ofSeconds(60));
            assertThat(released.outcome()).as(released.reason() + " " + released.detail()).isEqualTo("released");
            String seriesTime = DicomReader.readAll(node.release().resolve(released.location())).text(TagFromName.SeriesTime);
            assertThat(seriesTime).matches("\\d{6}(\\.\\d{1,6})?");
            assertThat(repairs(node, time)).anySatisfy(r -> assertThat(r).contains("SeriesTime (0008,0031): TM normalised"));

            FileRecords.Outcome held = node.awaitOutcome(meta, Duration.ofSeconds(60));
            assertThat(held.reason()).isEqualTo("missing-modality");
            assertThat(repairs(node, meta)).containsExactly("file meta group length (0002,0000) missing: written on output");
            JsonNode sidecar = new ObjectMapper().readTree(Files.readString(node.quarantine().resolve(held.location().replaceFirst("\\.dcm$", ".json"))));
            assertThat(sidecar.get("repairs").get(0).asText()).startsWith("file meta group length");
        }
    }

    private static List<String> repairs(TestNode node, String fileId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = node.haven.store().connection();
             PreparedStatement ps = c.prepareStatement("select detail from file_event where file_id = ? and event = 'repaired' order by id")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}

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

    @Test
    void anEncapsulatedIconIsAcceptedAndRemoved() throws Exception {
        Corpus.assumeAvailable();
        Path source = Corpus.ROOT.resolve("pydicom/test_files/MR_small_jp2klossless.dcm");
        Path withIcon = tmp.resolve("icon.dcm");
        Files.write(withIcon, withEncapsulatedIcon(Files.readAllBytes(source), DicomReader.readHeader(source).layout().pixelDataStart()));
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(TestNode.trustAll("research")).start()) {
            String id = node.submit(withIcon, "repair");
            FileRecords.Outcome o = node.awaitOutcome(id, Duration.ofSeconds(60));
            assertThat(o.outcome()).as(o.reason() + " " + o.detail()).isEqualTo("released");
            com.pixelmed.dicom.AttributeList out = DicomReader.readAll(node.release().resolve(o.location())).attributes();
            assertThat(out.get(TagFromName.IconImageSequence)).isNull();
            assertThat(out.get(TagFromName.PixelData)).isNotNull();
            assertThat(repairs(node, id)).anySatisfy(r -> assertThat(r).startsWith("IconImageSequence (0088,0200) holds an encapsulated thumbnail"));
        }
    }

    /** The file with an Icon Image Sequence whose 8x8 thumbnail is encapsulated, inserted before PixelData (explicit VR LE). */
    static byte[] withEncapsulatedIcon(byte[] file, long pixelDataStart) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x0088).putShort((short) 0x0200).put("SQ".getBytes()).putShort((short) 0).putInt(-1);
        b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(-1);
        us(b, 0x0002, 1);
        b.putShort((short) 0x0028).putShort((short) 0x0004).put("CS".getBytes()).putShort((short) 12).put("MONOCHROME2 ".getBytes());
        us(b, 0x0010, 8);
        us(b, 0x0011, 8);
        us(b, 0x0100, 8);
        us(b, 0x0101, 8);
        us(b, 0x0102, 7);
        us(b, 0x0103, 0);
        b.putShort((short) 0x7FE0).putShort((short) 0x0010).put("OB".getBytes()).putShort((short) 0).putInt(-1);
        b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(0);                       // empty offset table
        b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(4).put(new byte[] {(byte) 0xFF, (byte) 0x4F, (byte) 0xFF, (byte) 0x51});
        b.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);                       // end of fragments
        b.putShort((short) 0xFFFE).putShort((short) 0xE00D).putInt(0);                       // end of item
        b.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);                       // end of sequence
        byte[] icon = java.util.Arrays.copyOf(b.array(), b.position());
        byte[] out = new byte[file.length + icon.length];
        System.arraycopy(file, 0, out, 0, (int) pixelDataStart);
        System.arraycopy(icon, 0, out, (int) pixelDataStart, icon.length);
        System.arraycopy(file, (int) pixelDataStart, out, (int) pixelDataStart + icon.length, file.length - (int) pixelDataStart);
        return out;
    }

    private static void us(java.nio.ByteBuffer b, int element, int value) {
        b.putShort((short) 0x0028).putShort((short) element).put("US".getBytes()).putShort((short) 2).putShort((short) value);
    }
}

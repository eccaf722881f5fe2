package org.haven.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import org.haven.dicom.TransferSyntaxes;
import org.haven.pipeline.Corpus;
import org.haven.pipeline.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A board's PACS (dcmtk storescu/echoscu) sends real corpus files to a node's C-STORE SCP: every acknowledged object
 * is recorded for its board and gets a fate; an unknown AE title is refused and nothing is recorded; an object over
 * the size limit is answered with a failure status and nothing is recorded.
 */
class DicomReceiveTest {
    @TempDir
    static Path tmp;
    static TestNode node;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        Dcmtk.assumeInstalled();
        Path boards = Files.writeString(tmp.resolve("boards.yaml"),
            "boards:\n  - board: lothian\n    ae-titles: [LOTHIAN_PACS]\n    hosts: [127.0.0.1]\n"
                + "  - board: far-away\n    ae-titles: [FAR_PACS]\n    hosts: [10.99.0.0/16]\n");
        node = TestNode.builder(tmp.resolve("node")).devices(TestNode.trustAll("research"))
            .setting("haven.dicom.port", "0").setting("haven.boards", boards.toString())
            .setting("haven.dicom.max-object-mb", "1").setting("haven.dicom.max-associations", "2").start();
        port = node.haven.receiver().port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
    }

    @Test
    void echoFromAConfiguredBoardSucceeds() throws Exception {
        Dcmtk.Result r = Dcmtk.echo("LOTHIAN_PACS", "HAVEN", port);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void unknownCallingAeTitleOrWrongHostOrWrongCalledAeIsRefused() throws Exception {
        int before = count("select count(*) from haven_file");
        Path file = Corpus.available() ? Corpus.entry("pydicom/test_files/CT_small.dcm").path() : null;
        String[][] cases = {{"STRANGER", "HAVEN", "Calling AE Title Not Recognized"}, {"FAR_PACS", "HAVEN", "Calling AE Title Not Recognized"},
            {"LOTHIAN_PACS", "NOT_HAVEN", "Called AE Title Not Recognized"}};
        for (String[] c : cases) {
            Dcmtk.Result echo = Dcmtk.echo(c[0], c[1], port);
            assertThat(echo.exitCode()).as(echo.output()).isNotZero();
            assertThat(echo.output()).contains("Association Rejected").contains(c[2]);
            if (file != null) {
                Dcmtk.Result store = Dcmtk.store(c[0], c[1], port, List.of(file));
                assertThat(store.output()).contains("Association Rejected").contains(c[2]);
            }
        }
        assertThat(count("select count(*) from haven_file")).isEqualTo(before);
    }

    @Test
    void associationsOverTheLimitAreRejectedAsTransient() throws Exception {
        List<com.pixelmed.network.Association> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) { // this node allows two at once
                java.util.LinkedList<com.pixelmed.network.PresentationContext> contexts = new java.util.LinkedList<>();
                contexts.add(new com.pixelmed.network.PresentationContext((byte) 1, com.pixelmed.dicom.SOPClass.Verification,
                    com.pixelmed.dicom.TransferSyntax.ImplicitVRLittleEndian));
                held.add(com.pixelmed.network.AssociationFactory.createNewAssociation("127.0.0.1", port, "HAVEN", "LOTHIAN_PACS",
                    contexts, null, false));
            }
            Dcmtk.Result third = Dcmtk.echo("LOTHIAN_PACS", "HAVEN", port);
            assertThat(third.output()).contains("Association Rejected").contains("Local Limit Exceeded");
        } finally {
            for (com.pixelmed.network.Association a : held) a.release();
        }
        Dcmtk.Result after = Dcmtk.echo("LOTHIAN_PACS", "HAVEN", port); // released associations free their slots at once
        assertThat(after.exitCode()).as(after.output()).isZero();
    }

    @Test
    void corpusFilesInEveryTransferSyntaxAreStagedBeforeTheyAreAcknowledged() throws Exception {
        Corpus.assumeAvailable();
        Map<String, Path> oneSmallPerSyntax = new LinkedHashMap<>();
        for (Corpus.Entry e : Corpus.entries()) {
            if (e.malformed() || !Dcmtk.PROPOSE.containsKey(e.transferSyntax()) || !Files.isRegularFile(e.path())) continue;
            if (Files.size(e.path()) > 900_000) continue; // under this node's 1 MB limit
            oneSmallPerSyntax.putIfAbsent(e.transferSyntax(), e.path());
        }
        List<Path> files = new ArrayList<>(oneSmallPerSyntax.values());
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);

        for (Map.Entry<String, Path> e : oneSmallPerSyntax.entrySet()) { // each in its own transfer syntax, as a PACS sends it
            Dcmtk.Result r = Dcmtk.store("LOTHIAN_PACS", "HAVEN", port, List.of(e.getValue()), Dcmtk.PROPOSE.get(e.getKey()));
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).as(r.output()).contains("Received Store Response (Success)");
            assertThat(r.output().lines().filter(l -> l.contains("Converting transfer syntax:")))
                .as("sent in its own transfer syntax").allMatch(l -> l.replaceAll(".*: (.*) -> (.*)", "$1").equals(l.replaceAll(".*-> ", "")));
        }
        // acknowledged means recorded: every object already has its row, board and source
        assertThat(count("select count(*) from haven_file where board = 'lothian' and source_path = 'dicom:LOTHIAN_PACS'"))
            .isEqualTo(files.size());
        for (String id : fileIds("lothian")) {
            assertThat(node.awaitOutcome(id, java.time.Duration.ofSeconds(60)).outcome()).isIn("released", "quarantined");
        }
        System.out.printf("DICOM receive: %d corpus files in %d transfer syntaxes acknowledged, recorded and decided%n",
            files.size(), oneSmallPerSyntax.size());

        // the same objects again (a PACS retrying): acknowledged, recorded as duplicates, not processed twice
        int before = count("select count(*) from file_event where event = 'duplicate'");
        for (Map.Entry<String, Path> e : oneSmallPerSyntax.entrySet()) {
            Dcmtk.Result again = Dcmtk.store("LOTHIAN_PACS", "HAVEN", port, List.of(e.getValue()), Dcmtk.PROPOSE.get(e.getKey()));
            assertThat(again.output()).as(again.output()).contains("Received Store Response (Success)");
        }
        assertThat(count("select count(*) from haven_file where board = 'lothian'")).isEqualTo(files.size());
        assertThat(count("select count(*) from file_event where event = 'duplicate'")).isEqualTo(before + files.size());
    }

    @Test
    void anObjectOverTheSizeLimitIsAnsweredWithAFailureAndNotRecorded() throws Exception {
        Corpus.assumeAvailable();
        // a real CT grown past the node's 1 MB limit by a private 1.5 MB value
        AttributeList list = new AttributeList();
        list.read(Corpus.entry("pydicom/test_files/CT_small.dcm").path().toFile());
        list.put(new LongStringAttribute(new AttributeTag(0x0009, 0x0010)) {{ addValue("HAVEN TEST"); }});
        OtherByteAttribute blob = new OtherByteAttribute(new AttributeTag(0x0009, 0x1001));
        blob.setValues(new byte[1_500_000]);
        list.put(blob);
        Path big = tmp.resolve("big.dcm");
        list.write(big.toFile(), TransferSyntaxes.EXPLICIT_LE, true, true);
        int before = count("select count(*) from haven_file");
        Dcmtk.Result r = Dcmtk.store("LOTHIAN_PACS", "HAVEN", port, List.of(big));
        assertThat(r.output()).as(r.output()).contains("Received Store Response").doesNotContain("Store Response (Success)");
        assertThat(r.output()).contains("Refused: OutOfResources");
        assertThat(count("select count(*) from haven_file")).isEqualTo(before);
    }

    static int count(String sql) throws Exception {
        try (Connection c = node.haven.store().connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static List<String> fileIds(String board) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = node.haven.store().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select file_id from haven_file where board = '" + board + "'")) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }
}

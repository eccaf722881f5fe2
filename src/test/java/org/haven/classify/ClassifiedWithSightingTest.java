package org.haven.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.haven.HavenHeaders;
import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's classification and its device sighting are written with its fate, in one transaction: when the sighting
 * cannot be recorded, neither the facts, the classified event nor the fate are (a redelivery classifies the file
 * again, whole). The transfer syntax, which a release claim's holder is compared by, goes with the claim.
 */
class ClassifiedWithSightingTest {
    static final String ID = "ef" + "0".repeat(62);

    @TempDir Path root;
    Store store;
    FileRecords records;
    Workspace ws;
    Classifier classifier;

    @BeforeEach
    void setUp() throws Exception {
        store = Store.open("jdbc:h2:mem:classified" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        records = new FileRecords(store);
        ws = Workspace.under(root, root.resolve("release"), root.resolve("quarantine"));
        DeviceRegistries registries = DeviceRegistries.load(Path.of("config/devices.yaml"), Path.of("config/manufacturers.yaml"), null);
        classifier = new Classifier(ws, records, registries, new DeviceStore(store), "research", "test-node", "research");
        records.receive(ID, "board", "src", 4, "test");
        AttributeList l = new AttributeList();
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.2");
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), "1.2.3.4.5");
        put(l, new CodeStringAttribute(TagFromName.Modality), "CT");
        put(l, new LongStringAttribute(TagFromName.Manufacturer), "SIEMENS");
        put(l, new LongStringAttribute(TagFromName.ManufacturerModelName), "SOMATOM");
        FileMetaInformation.addFileMetaInformation(l, "1.2.840.10008.1.2.1", "TEST");
        Files.createDirectories(ws.staged(ID).getParent());
        l.write(ws.staged(ID).toFile(), "1.2.840.10008.1.2.1", true, true);
    }

    static void put(AttributeList l, com.pixelmed.dicom.Attribute a, String value) throws Exception {
        a.addValue(value);
        l.put(a);
    }

    @AfterEach
    void tearDown() { store.close(); }

    @Test
    void factsAndSightingAreWrittenWithTheFateOrNotAtAll() throws Exception {
        Exchange e = delivery();
        classifier.classify(e);
        assertThat(value("select modality from haven_file where file_id = '" + ID + "'")).as("classify commits nothing of its own").isNull();
        assertThat(value("select count(*) from device_seen")).isEqualTo("0");

        sql("alter table device_seen rename to device_seen_away");
        assertThatThrownBy(() -> records.decide(ID, "quarantined", "test", "", null, "test-node", FileRecords.takePending(e)))
            .isInstanceOf(SQLException.class);
        assertThat(value("select modality from haven_file where file_id = '" + ID + "'")).isNull();
        assertThat(value("select count(*) from file_event where file_id = '" + ID + "' and event = 'classified'")).isEqualTo("0");
        assertThat(value("select count(*) from file_outcome")).as("no fate without the sighting").isEqualTo("0");

        sql("alter table device_seen_away rename to device_seen");
        Exchange again = delivery();                                // the redelivery
        classifier.classify(again);
        assertThat(records.decide(ID, "quarantined", "test", "", null, "test-node", FileRecords.takePending(again))).isTrue();
        assertThat(value("select modality from haven_file where file_id = '" + ID + "'")).isEqualTo("CT");
        assertThat(value("select count(*) from file_event where file_id = '" + ID + "' and event = 'classified'")).isEqualTo("1");
        assertThat(value("select count(*) from device_sighting")).as("counted once, with the fate").isEqualTo("1");
        new SightingCounts(store).fold();
        assertThat(value("select files from device_seen")).isEqualTo("1");
    }

    @Test
    void aFileRecordTheStoreLostIsReCreatedWhenTheFateIsWritten() throws Exception {
        Exchange e = delivery();
        classifier.classify(e);
        sql("delete from file_event where file_id = '" + ID + "'");
        sql("delete from haven_file where file_id = '" + ID + "'"); // a store restored from a backup older than the message
        assertThat(records.decide(ID, "quarantined", "test", "", null, "test-node", FileRecords.takePending(e))).isTrue();
        assertThat(value("select count(*) from file_event where file_id = '" + ID + "' and event = 'reconciled'")).isEqualTo("1");
        assertThat(value("select modality from haven_file where file_id = '" + ID + "'")).as("the sighting, written after all").isEqualTo("CT");
        assertThat(records.outcome(ID)).isPresent();
    }

    @Test
    void aReleaseClaimRecordsTheTransferSyntax() throws Exception {
        Exchange e = delivery();
        classifier.classify(e);
        // another encoding of the instance, waiting for this claim's commit, compares itself with the holder by this
        String ts = e.getIn().getHeader(HavenHeaders.TRANSFER_SYNTAX, String.class);
        String holder = records.claimUnderLock("p/s/1.dcm", ID, ts, (c, h) -> h);
        assertThat(holder).isEqualTo(ID);
        assertThat(records.transferSyntax(ID)).isEqualTo("1.2.840.10008.1.2.1");
    }

    Exchange delivery() {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getIn().setHeader(HavenHeaders.FILE_ID, ID);
        e.getIn().setHeader(HavenHeaders.BOARD, "board");
        return e;
    }

    void sql(String statement) throws SQLException {
        try (Connection c = store.connection(); Statement s = c.createStatement()) { s.execute(statement); }
    }

    String value(String query) throws SQLException {
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}

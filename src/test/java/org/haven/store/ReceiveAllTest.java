package org.haven.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A drop-folder poll records its files in one commit ({@link FileRecords#receiveAll}): new files, files already
 * decided, files in flight and the same content twice in one poll each get the arrival {@link FileRecords#receive}
 * gives them, on H2 and on PostgreSQL (where a failed insert would end the transaction without its savepoint); and a
 * failure that is not a duplicate records none of the poll's files.
 */
class ReceiveAllTest {

    @Test
    void arrivalsOnH2() throws Exception { TestStores.onH2(this::arrivals); }

    @Test
    void arrivalsOnPostgres() throws Exception { TestStores.onPostgres("receive_all_arrivals", this::arrivals); }

    @Test
    void nothingRecordedWhenOneFileFailsOnH2() throws Exception { TestStores.onH2(this::allOrNothing); }

    @Test
    void nothingRecordedWhenOneFileFailsOnPostgres() throws Exception { TestStores.onPostgres("receive_all_nothing", this::allOrNothing); }

    void arrivals(Store store) throws Exception {
        FileRecords records = new FileRecords(store);
        String decided = id('d'), inFlight = id('f'), a = id('a'), b = id('b');
        records.receive(decided, "lothian", "old", 1, "test");
        records.decide(decided, "released", null, null, "p/1.dcm", "test");
        records.receive(inFlight, "lothian", "old", 1, "test");

        List<FileRecords.Arrival> arrivals = records.receiveAll(List.of(receipt(a), receipt(decided), receipt(b), receipt(inFlight), receipt(a)), "test");

        assertThat(arrivals).containsExactly(FileRecords.Arrival.NEW, FileRecords.Arrival.ALREADY_DECIDED, FileRecords.Arrival.NEW,
            FileRecords.Arrival.IN_FLIGHT, FileRecords.Arrival.IN_FLIGHT);
        assertThat(count(store, "select count(*) from haven_file")).isEqualTo(4);
        assertThat(count(store, "select count(*) from file_event where event = 'received'")).as("two before, two now").isEqualTo(4);
        assertThat(count(store, "select count(*) from file_event where event = 'duplicate'")).isEqualTo(3);
        assertThat(count(store, "select count(*) from haven_file where board = 'tayside' and source_path = 'poll'")).as("the new records").isEqualTo(2);

        // the files in flight are kept with the receive and the fate, not found by scanning the archive
        assertThat(count(store, "select count(*) from file_in_flight")).as("a, b and the one in flight before").isEqualTo(3);
        records.decide(a, "quarantined", "test", "", null, "test");
        records.decide(id('e'), "quarantined", "test", "", null, "test"); // a file the store had lost: reconciled, then decided
        assertThat(count(store, "select count(*) from file_in_flight")).isEqualTo(2);
        InFlightCheck.assertMatchesTheStore(store);
        FateCountCheck.assertMatchesTheStore(store);
    }

    void allOrNothing(Store store) throws Exception {
        FileRecords records = new FileRecords(store);
        FileRecords.Receipt tooLongBoard = new FileRecords.Receipt(id('c'), "b".repeat(500), "poll", 1); // not a duplicate: a data error
        assertThatThrownBy(() -> records.receiveAll(List.of(receipt(id('a')), tooLongBoard, receipt(id('b'))), "test"))
            .isInstanceOf(SQLException.class);
        assertThat(count(store, "select count(*) from haven_file")).isZero();
        assertThat(count(store, "select count(*) from file_event")).isZero();
        assertThat(count(store, "select count(*) from file_in_flight")).isZero();
        assertThat(records.receiveAll(List.of(receipt(id('a'))), "test")).containsExactly(FileRecords.Arrival.NEW); // the next poll
    }

    static FileRecords.Receipt receipt(String id) { return new FileRecords.Receipt(id, "tayside", "poll", 4); }

    static String id(char c) { return String.valueOf(c).repeat(64); }

    static int count(Store store, String sql) throws SQLException {
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

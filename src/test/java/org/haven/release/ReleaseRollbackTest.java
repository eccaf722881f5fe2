package org.haven.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

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

/** Nothing stays in release/ without a released outcome: a release whose outcome cannot be recorded is rolled back. */
class ReleaseRollbackTest {
    static final String ID = "ab" + "0".repeat(62);
    static final String PATH = "default/H000000000000/s/r/i.dcm";

    @TempDir Path root;
    Store store;
    FileRecords records;
    Workspace ws;
    Releaser releaser;
    final DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void setUp() throws Exception {
        store = Store.open("jdbc:h2:file:" + root.resolve("db/haven"), "sa", "", 2);
        records = new FileRecords(store);
        ws = Workspace.under(root, root.resolve("release"), root.resolve("quarantine"));
        releaser = new Releaser(ws, records, "test-node");
        records.receive(ID, "board", "src", 4, "test");
        Files.createDirectories(ws.staged(ID).getParent());
        Files.writeString(ws.staged(ID), "orig");
        Files.createDirectories(ws.outgoing(ID).getParent());
        Files.writeString(ws.outgoing(ID), "deid");
    }

    @AfterEach
    void tearDown() { store.close(); }

    Exchange message() {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(HavenHeaders.FILE_ID, ID);
        e.getIn().setHeader(HavenHeaders.RELEASE_PATH, PATH);
        e.getIn().setHeader(HavenHeaders.PROFILE, "research");
        return e;
    }

    long releasedFiles() throws Exception {
        if (!Files.isDirectory(ws.release())) return 0;
        try (Stream<Path> s = Files.walk(ws.release())) { return s.filter(Files::isRegularFile).count(); }
    }

    void sql(String statement) throws SQLException {
        try (Connection c = store.connection(); Statement s = c.createStatement()) { s.execute(statement); }
    }

    @Test
    void anOutcomeThatCannotBeWrittenMovesTheFileBack() throws Exception {
        sql("alter table file_outcome rename to file_outcome_away");
        assertThatThrownBy(() -> releaser.release(message())).isInstanceOf(SQLException.class);
        assertThat(releasedFiles()).isZero();
        assertThat(ws.outgoing(ID)).hasContent("deid");   // back where the redelivery finds it
        assertThat(ws.staged(ID)).exists();
        sql("alter table file_outcome_away rename to file_outcome");
        releaser.release(message());                       // the redelivery
        assertThat(ws.release().resolve(PATH)).hasContent("deid");
        assertThat(records.outcome(ID)).hasValueSatisfying(o -> assertThat(o.outcome()).isEqualTo("released"));
        assertThat(ws.staged(ID)).doesNotExist();
    }

    @Test
    void aFateRecordedElsewhereFirstTakesTheCopyOutOfRelease() throws Exception {
        records.decide(ID, "quarantined", "internal-error", "held by another delivery", "internal-error/" + ID + ".dcm", "other");
        Exchange e = message();
        releaser.release(e);
        assertThat(releasedFiles()).isZero();
        assertThat(ws.outgoing(ID)).doesNotExist();
        assertThat(records.outcome(ID)).hasValueSatisfying(o -> assertThat(o.outcome()).isEqualTo("quarantined"));
        assertThat(records.claimReleasePath(PATH, "cd" + "0".repeat(62))).startsWith("cd"); // the claim was given up
    }
}

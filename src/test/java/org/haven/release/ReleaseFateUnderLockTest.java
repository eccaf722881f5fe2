package org.haven.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * A release records its fate while it holds the claim's lock: a preferred encoding of the same instance that takes
 * the lock next sees the first file released, keeps its copy in the quarantine and replaces it. (With the fate
 * recorded after the lock was let go, the second file found no released holder, overwrote its copy, and both files
 * ended "released" on one path, the first one's bytes gone.)
 */
class ReleaseFateUnderLockTest {
    static final String PATH = "default/H000000000000/s/r/i.dcm";
    static final String FIRST = "ab" + "0".repeat(62);   // implicit VR: loses to the explicit VR copy
    static final String PREFERRED = "cd" + "0".repeat(62);

    @TempDir Path root;
    Store store;
    FileRecords records;
    Workspace ws;
    Releaser releaser;
    final DefaultCamelContext camel = new DefaultCamelContext();

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    String schema;

    @BeforeEach
    void setUp() {
        ws = Workspace.under(root, root.resolve("release"), root.resolve("quarantine"));
    }

    void open(Store s) throws Exception {
        store = s;
        records = new FileRecords(store);
        releaser = new Releaser(ws, records, "test-node");
        file(FIRST, "1.2.840.10008.1.2");
        file(PREFERRED, "1.2.840.10008.1.2.1");
    }

    void file(String id, String transferSyntax) throws Exception {
        records.receive(id, "board", "src", 4, "test");
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement("update haven_file set transfer_syntax = ? where file_id = ?")) {
            ps.setString(1, transferSyntax);
            ps.setString(2, id);
            ps.executeUpdate();
        }
        Files.createDirectories(ws.staged(id).getParent());
        Files.writeString(ws.staged(id), "orig " + id.substring(0, 2));
        Files.createDirectories(ws.outgoing(id).getParent());
        Files.writeString(ws.outgoing(id), "deid " + id.substring(0, 2));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (store != null) store.close();
        if (schema == null) return;
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
        }
    }

    Exchange message(String id) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(HavenHeaders.FILE_ID, id);
        e.getIn().setHeader(HavenHeaders.RELEASE_PATH, PATH);
        e.getIn().setHeader(HavenHeaders.PROFILE, "research");
        return e;
    }

    @Test
    void aPreferredEncodingArrivingDuringAReleaseOnH2() throws Exception {
        open(Store.open("jdbc:h2:file:" + root.resolve("db/haven"), "sa", "", 4));
        aPreferredEncodingArrivingDuringARelease();
    }

    @Test
    void aPreferredEncodingArrivingDuringAReleaseOnPostgres() throws Exception {
        schema = "release_lock_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        } catch (Exception e) {
            schema = null;
            assumeTrue(false, "PostgreSQL not reachable: " + e.getMessage());
        }
        open(Store.open(PG + "?currentSchema=" + schema, "postgres", "", 4));
        aPreferredEncodingArrivingDuringARelease();
    }

    void aPreferredEncodingArrivingDuringARelease() throws Exception {
        Path target = ws.release().resolve(PATH);
        try (Connection blocker = store.connection()) {
            // an uncommitted fate for the first file holds its release between the move and its fate's commit
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.executeUpdate("insert into file_outcome (file_id, outcome, decided_at) values ('" + FIRST + "', 'quarantined', current_timestamp)");
            }
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> release(FIRST));
            for (int i = 0; i < 500 && !Files.exists(target); i++) Thread.sleep(10);
            assertThat(target).hasContent("deid ab");
            CompletableFuture<Void> preferred = CompletableFuture.runAsync(() -> release(PREFERRED));
            Thread.sleep(300); // the preferred copy either waits for the claim's lock, or (fate recorded too late) runs through
            blocker.rollback();
            first.get(20, TimeUnit.SECONDS);
            preferred.get(20, TimeUnit.SECONDS);
        }
        assertThat(target).hasContent("deid cd");
        assertThat(records.outcome(PREFERRED)).hasValueSatisfying(o -> assertThat(o.outcome()).isEqualTo("released"));
        assertThat(records.outcome(FIRST)).hasValueSatisfying(o -> {
            assertThat(o.outcome()).isEqualTo("quarantined");
            assertThat(o.reason()).isEqualTo("duplicate-instance");
        });
        assertThat(ws.quarantine().resolve("duplicate-instance").resolve(FIRST + ".dcm")).hasContent("deid ab");
        assertThat(releasedOn(PATH)).isEqualTo(1);
    }

    void release(String id) {
        try {
            releaser.release(message(id));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    int releasedOn(String location) throws Exception {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from file_outcome where outcome = 'released' and location = ?")) {
            ps.setString(1, location);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}

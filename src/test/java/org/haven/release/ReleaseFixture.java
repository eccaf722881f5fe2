package org.haven.release;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.haven.HavenHeaders;
import org.haven.quarantine.Quarantine;
import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;

/**
 * A releaser on a real store (H2 in the test's folder, or a schema of its own in the test PostgreSQL) and files
 * ready to release: each received, its original staged ("orig xx") and its de-identified copy outgoing ("deid xx",
 * xx its id's first two characters), all on one release path.
 */
final class ReleaseFixture implements AutoCloseable {
    static final String PATH = "default/H000000000000/s/r/i.dcm";
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String IMPLICIT = "1.2.840.10008.1.2", EXPLICIT = "1.2.840.10008.1.2.1";
    static final String NODE = "test-node";

    final Store store;
    final FileRecords records;
    final Workspace ws;
    final Releaser releaser;
    final Quarantine quarantine;
    private final String schema;
    private final DefaultCamelContext camel = new DefaultCamelContext();

    private ReleaseFixture(Path root, Store store, String schema) {
        this.store = store;
        this.schema = schema;
        records = new FileRecords(store);
        ws = Workspace.under(root, root.resolve("release"), root.resolve("quarantine"));
        releaser = new Releaser(ws, records, NODE);
        quarantine = new Quarantine(ws, records, NODE);
    }

    static ReleaseFixture h2(Path root) {
        return new ReleaseFixture(root, Store.open("jdbc:h2:file:" + root.resolve("db/haven"), "sa", "", 4), null);
    }

    /** On H2 through {@link LostAnswerDriver}, so that a test can make a commit lose its answer. */
    static ReleaseFixture h2LosingAnswers(Path root) {
        return new ReleaseFixture(root, Store.open(LostAnswerDriver.wrap("jdbc:h2:file:" + root.resolve("db/haven")), "sa", "", 4), null);
    }

    /** {@code "H2"} or {@code "PostgreSQL"} (schema {@code name}): for tests run on both stores. */
    static ReleaseFixture on(String store, Path root, String name) {
        return switch (store) {
            case "H2" -> h2(root);
            case "PostgreSQL" -> postgres(root, name);
            default -> throw new IllegalArgumentException("no such store: " + store);
        };
    }

    /** On a fresh schema {@code name} (dropped again on close); the test is skipped when PostgreSQL is not reachable. */
    static ReleaseFixture postgres(Path root, String name) {
        String schema = name + "_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        } catch (SQLException e) {
            assumeTrue(false, "PostgreSQL not reachable: " + e.getMessage());
        }
        return new ReleaseFixture(root, Store.open(PG + "?currentSchema=" + schema, "postgres", "", 4), schema);
    }

    /** A received file with its original staged and its de-identified copy outgoing; {@code transferSyntax} may be null. */
    void file(String id, String transferSyntax) throws Exception {
        records.receive(id, "board", "src", 4, "test");
        if (transferSyntax != null) {
            try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement("update haven_file set transfer_syntax = ? where file_id = ?")) {
                ps.setString(1, transferSyntax);
                ps.setString(2, id);
                ps.executeUpdate();
            }
        }
        Files.createDirectories(ws.staged(id).getParent());
        Files.writeString(ws.staged(id), "orig " + id.substring(0, 2));
        deidentified(id);
    }

    /** The de-identified copy a (re-)run of the file's journey writes. */
    void deidentified(String id) throws Exception {
        Files.createDirectories(ws.outgoing(id).getParent());
        Files.writeString(ws.outgoing(id), "deid " + id.substring(0, 2));
    }

    /** A release message for the file, as de-identify and verify leave it. */
    Exchange message(String id) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(HavenHeaders.FILE_ID, id);
        e.getIn().setHeader(HavenHeaders.RELEASE_PATH, PATH);
        e.getIn().setHeader(HavenHeaders.PROFILE, "research");
        return e;
    }

    /** A hold of the file as {@code reason} (what the error handler sends to the quarantine). */
    void hold(String id, String reason) throws Exception {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(HavenHeaders.FILE_ID, id);
        e.getIn().setHeader(HavenHeaders.REASON, reason);
        e.getIn().setHeader(HavenHeaders.DETAIL, "held in a test");
        quarantine.hold(e);
    }

    Path released() { return ws.release().resolve(PATH); }

    Path supersededCopy(String id) { return ws.quarantine().resolve("duplicate-instance").resolve(id + ".dcm"); }

    void sql(String statement) throws SQLException {
        try (Connection c = store.connection(); Statement s = c.createStatement()) { s.execute(statement); }
    }

    long releasedFiles() throws Exception { return filesUnder(ws.release()); }

    static long filesUnder(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) { return s.filter(Files::isRegularFile).count(); }
    }

    /**
     * Returns once {@code waiter} waits for another transaction's lock (30 s at most, then fails): on PostgreSQL as
     * the server reports its session; on H2, which reports no row-lock waits (it retries the statement until the
     * other transaction ends), as the thread seen inside one H2 statement in five samples 50 ms apart.
     */
    void awaitLockWait(Thread waiter) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        int seen = 0;
        while (System.nanoTime() < deadline && seen < 5) {
            if (schema == null) {
                boolean inH2 = java.util.Arrays.stream(waiter.getStackTrace()).anyMatch(e -> e.getClassName().equals("org.h2.command.Command"));
                seen = inH2 ? seen + 1 : 0;
            } else {
                try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
                     ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(1) > 0) return;
                }
            }
            Thread.sleep(50);
        }
        if (seen < 5) throw new AssertionError("no lock wait seen within 30 s: " + waiter.getState());
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

    @Override
    public void close() throws Exception {
        store.close();
        if (schema == null) return;
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
        }
    }
}

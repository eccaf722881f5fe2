package org.haven.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.haven.HavenHeaders;
import org.haven.app.Haven;
import org.haven.app.Settings;
import org.haven.store.FileRecords;

/**
 * A real Haven node for tests: the routes from routes/, the profiles from config/profiles, an embedded ActiveMQ
 * broker, and H2 or PostgreSQL. Only the folders, the device registry and the key are the test's own.
 */
public final class TestNode implements AutoCloseable {
    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String KEY = "test-key-not-secret";

    public final Path root;
    public final Haven haven;
    public final FileRecords records;
    private final String pgSchema;

    private TestNode(Path root, Haven haven, String pgSchema) {
        this.root = root;
        this.haven = haven;
        this.records = new FileRecords(haven.store());
        this.pgSchema = pgSchema;
    }

    /** A registry that trusts every device with {@code profile}. */
    public static String trustAll(String profile) {
        return "devices:\n  - id: everything\n    state: trusted\n    profile: " + profile + "\n";
    }

    public static Builder builder(Path root) { return new Builder(root); }

    public static final class Builder {
        private final Path root;
        private String devices = trustAll("basic");
        private String dbUrl;
        private String pgSchema;
        private String brokerName = "haven";
        private final Map<String, String> extra = new LinkedHashMap<>();

        Builder(Path root) { this.root = root; }

        public Builder devices(String yaml) { this.devices = yaml; return this; }

        public Builder setting(String key, String value) { extra.put(key, value); return this; }

        /** A fresh schema in the machine's PostgreSQL (database test), dropped on close. */
        public Builder postgres(String schema) { this.pgSchema = schema; return this; }

        /** Shares an H2 database file (two nodes on one store). */
        public Builder h2(Path file) { this.dbUrl = "jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=TRUE"; return this; }

        public Builder brokerName(String name) { this.brokerName = name; return this; }

        public TestNode start() throws Exception {
            Files.createDirectories(root);
            Path devicesFile = root.resolve("devices.yaml");
            Files.writeString(devicesFile, devices);
            Map<String, String> s = new LinkedHashMap<>();
            s.put("haven.workspace", root.resolve("work").toString());
            s.put("haven.devices", devicesFile.toString());
            s.put("haven.secret.key", KEY);
            s.put("haven.broker.persistent", "false");
            s.put("haven.broker.url", "vm://" + brokerName + "?create=false");
            s.put("haven.broker.name", brokerName);
            s.put("haven.routes.reload", "false");
            s.put("haven.inbox.min-age-ms", "200");
            s.put("haven.inbox.poll-ms", "100");
            if (pgSchema != null) {
                try (Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
                     Statement st = c.createStatement()) {
                    st.execute("drop schema if exists " + pgSchema + " cascade");
                    st.execute("create schema " + pgSchema);
                }
                s.put("haven.db.url", POSTGRES_URL + "?currentSchema=" + pgSchema);
                s.put("haven.db.user", "postgres");
            } else {
                s.put("haven.db.url", dbUrl != null ? dbUrl : "jdbc:h2:mem:" + root.getFileName() + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            }
            s.putAll(extra);
            Settings settings = Settings.load(Path.of("config/haven.properties"), Map.of(), s);
            return new TestNode(root, new Haven(settings).start(), pgSchema);
        }
    }

    /** Hands a file to the ingest stage as a batch run does; returns its file id. */
    public String submit(Path file, String board) {
        Exchange done = haven.camel().createProducerTemplate().request("direct:ingest-file", e -> {
            e.getIn().setBody(file.toFile());
            e.getIn().setHeader(HavenHeaders.BOARD, board);
        });
        if (done.getException() != null) throw new IllegalStateException(done.getException());
        return done.getMessage().getHeader(HavenHeaders.FILE_ID, String.class);
    }

    public FileRecords.Outcome awaitOutcome(String fileId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<FileRecords.Outcome> o = records.outcome(fileId);
            if (o.isPresent()) return o.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no outcome for file " + fileId.substring(0, 12) + " within " + timeout);
    }

    /**
     * Waits for a positive signal that the node has nothing left to do: every stage queue of the embedded broker
     * empty (a message counts until its transaction commits) twice in a row. Tests that check that something did
     * NOT happen wait for this first, instead of sleeping.
     */
    public void awaitIdle(Duration timeout) throws Exception {
        org.apache.activemq.broker.BrokerService broker =
            org.apache.activemq.broker.BrokerRegistry.getInstance().lookup(haven.settings().get("haven.broker.name"));
        if (broker == null) throw new IllegalStateException("awaitIdle needs the embedded broker");
        long deadline = System.nanoTime() + timeout.toNanos();
        int quiet = 0;
        while (System.nanoTime() < deadline) {
            long pending = 0;
            for (String q : new String[] {"haven.ingest", "haven.classify", "haven.deidentify", "haven.ocr", "haven.verify", "haven.release"}) {
                org.apache.activemq.broker.region.Destination d = broker.getDestination(new org.apache.activemq.command.ActiveMQQueue(q));
                pending += d.getDestinationStatistics().getMessages().getCount() + d.getDestinationStatistics().getInflight().getCount();
            }
            quiet = pending == 0 ? quiet + 1 : 0;
            if (quiet >= 2) return;
            Thread.sleep(50);
        }
        throw new AssertionError("node still busy after " + timeout);
    }

    public Path inbox() { return haven.settings().path("haven.inbox"); }

    public Path release() { return haven.workspace().release(); }

    public Path quarantine() { return haven.workspace().quarantine(); }

    @Override
    public void close() throws IOException {
        haven.close();
        if (pgSchema != null) {
            try (Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + pgSchema + " cascade");
            } catch (Exception e) {
                // left for the next run's "drop if exists"
            }
        }
    }
}

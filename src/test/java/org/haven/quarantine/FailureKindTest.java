package org.haven.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.haven.HavenHeaders;
import org.haven.ingest.Stager;
import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error routes as shipped: {@code routes/errors.yaml} and {@code routes/quarantine.yaml} loaded into a Camel
 * context with the real beans, a stage route that throws what it is told to, and the JMS delivery count set by hand.
 * Machine trouble must stay unhandled (the transaction rolls back, the broker redelivers) at any delivery; the
 * file's own trouble must end in the quarantine once {@code haven.max-deliveries} is reached.
 */
class FailureKindTest {
    static final int MAX = 4;
    final FailureKind kind = new FailureKind();

    @TempDir Path root;
    Store store;
    FileRecords records;
    Workspace ws;
    CamelContext camel;
    ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        store = Store.open("jdbc:h2:file:" + root.resolve("db/haven"), "sa", "", 2);
        records = new FileRecords(store);
        ws = Workspace.under(root, root.resolve("release"), root.resolve("quarantine"));
        camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("haven.max-deliveries", String.valueOf(MAX));
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.getRegistry().bind("failureKind", kind);
        Quarantine quarantine = new Quarantine(ws, records, "test-node");
        camel.getRegistry().bind("quarantine", quarantine);
        camel.getRegistry().bind("stager", new Stager(ws, records, "test-node",
            new org.haven.ingest.Boards(java.util.Set.of(), java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,39}"), "unknown-board", java.util.Set.of()),
            Long.MAX_VALUE, new org.haven.store.DiskSpace(java.util.List.of(), 0), quarantine, true));
        for (String f : new String[] {"routes/errors.yaml", "routes/quarantine.yaml"}) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel, "file:" + f));
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stage").routeConfigurationId("stage-errors").process(e -> { throw e.getIn().getBody(Exception.class); });
                from("direct:ingest").routeConfigurationId("stage-errors").bean("stager", "stageMessage");
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        store.close();
    }

    String stagedFile(String prefix) throws Exception {
        String id = prefix + "0".repeat(64 - prefix.length());
        records.receive(id, "board", "src", 4, "test");
        Files.createDirectories(ws.staged(id).getParent());
        Files.writeString(ws.staged(id), "orig");
        return id;
    }

    Exchange deliver(String fileId, Exception failure, int deliveryCount) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(HavenHeaders.FILE_ID, fileId);
        e.getIn().setHeader("JMSXDeliveryCount", deliveryCount);
        e.getIn().setBody(failure);
        return producer.send("direct:stage", e);
    }

    /** Delivers until the error routes handle the failure; returns the delivery that did, or -1 after 3 × max. */
    int deliveriesUntilHandled(String fileId, Exception failure) {
        for (int n = 1; n <= 3 * MAX; n++) {
            if (deliver(fileId, failure, n).getException() == null) return n;
        }
        return -1;
    }

    @Test
    void machineTroubleIsRetriedForever() throws Exception {
        String id = stagedFile("aa");
        for (Exception machine : new Exception[] {new SQLException("terminating connection", "57P01"),
                new SQLException("connection refused", "08001"), new RuntimeException(new SQLException("deadlock", "40P01")),
                new SQLException("concurrent update", "90131"), new IOException("disk full"), new jakarta.jms.JMSException("broker gone")}) {
            assertThat(deliveriesUntilHandled(id, machine)).as(machine.toString()).isEqualTo(-1);
        }
        assertThat(records.outcome(id)).isEmpty();
        assertThat(ws.staged(id)).exists();
    }

    @Test
    void theFilesOwnTroubleEndsInTheQuarantineAfterMaxDeliveries() throws Exception {
        Exception[] fileTrouble = {new FileFault("file aa has no valid release path"), new EOFException(),
            new SQLException("value too long", "22001"), new SQLException("constraint", "23503"), new IllegalStateException("bug")};
        int i = 0;
        for (Exception f : fileTrouble) {
            String id = stagedFile("b" + (i++));
            assertThat(deliveriesUntilHandled(id, f)).as(f.toString()).isEqualTo(MAX);
            assertThat(records.outcome(id)).as(f.toString()).hasValueSatisfying(o -> {
                assertThat(o.outcome()).isEqualTo("quarantined");
                assertThat(o.reason()).isEqualTo("internal-error");
            });
            assertThat(ws.quarantine().resolve("internal-error/" + id + ".dcm")).hasContent("orig");
        }
        assertThat(records.outcome("b0" + "0".repeat(62)).orElseThrow().detail())
            .contains("FileFault").contains("no valid release path");
    }

    @Test
    void aStagesDecisionIsQuarantinedAtOnce() throws Exception {
        String id = stagedFile("cc");
        assertThat(deliveriesUntilHandled(id, new QuarantineException("unknown-device", "no registry entry"))).isEqualTo(1);
        assertThat(records.outcome(id).orElseThrow().reason()).isEqualTo("unknown-device");
    }

    @Test
    void aFileNeitherStagedNorQuarantinedIsHeldWithoutItsBytesInsteadOfLooping() throws Exception {
        String id = stagedFile("dd");
        Files.delete(ws.staged(id));
        assertThat(deliveriesUntilHandled(id, new QuarantineException("unreadable", "not DICOM"))).isEqualTo(1);
        FileRecords.Outcome o = records.outcome(id).orElseThrow();
        assertThat(o.reason()).isEqualTo("unreadable");
        assertThat(o.location()).isNull();
        assertThat(o.detail()).contains("original not found in staging");
    }

    @Test
    void anIngestMessageWithoutABodyEndsInTheQuarantine() throws Exception {
        int handledAt = -1;
        for (int n = 1; n <= 3 * MAX && handledAt < 0; n++) {
            Exchange e = new DefaultExchange(camel);
            e.getIn().setHeader("JMSXDeliveryCount", n);
            e.getIn().setHeader("JMSMessageID", "ID:test-1");
            if (producer.send("direct:ingest", e).getException() == null) handledAt = n;
        }
        assertThat(handledAt).isEqualTo(MAX);
        try (Stream<Path> s = Files.list(ws.quarantine().resolve("internal-error"))) {
            Path sidecar = s.filter(p -> p.getFileName().toString().startsWith("message-")).findFirst().orElseThrow();
            assertThat(Files.readString(sidecar)).contains("message without a body").contains("FileFault");
        }
    }
}

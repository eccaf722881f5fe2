package org.haven.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.haven.HavenHeaders;
import org.haven.dicom.DicomHeader;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolve step on its own (H2): an unresolved hospital number is pseudonymised and its original retained; a
 * later file that names the person's CHI records the merge; the local id then always gets the person's pseudonym;
 * a linkage project holds instead; conflicting identifiers hold; the export says all of it.
 */
class ResolveStageTest {
    static final String CHI = ResolverTest.CHI_A;

    @TempDir
    Path tmp;
    Store store;
    Workspace workspace;
    IdentityStore identities;
    FileRecords records;
    ResolveStage stage;
    DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void open() throws Exception {
        store = Store.open("jdbc:h2:mem:resolvestage" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        workspace = Workspace.under(tmp.resolve("work"), tmp.resolve("release"), tmp.resolve("quarantine"));
        identities = new IdentityStore(store);
        records = new FileRecords(store);
        Path rules = Files.writeString(tmp.resolve("patients.yaml"), "projects:\n  - project: link\n    linkage: true\n");
        stage = new ResolveStage(new Resolver(IdentityRules.load(rules), new PatientIndex(store), null), identities, workspace,
            "k".getBytes(), "test-node");
    }

    @AfterEach
    void close() { store.close(); }

    Exchange file(String fileId, String project, String pid, String issuer, String others) throws Exception {
        AttributeList list = new AttributeList();
        put(list, TagFromName.PatientID, pid);
        put(list, TagFromName.IssuerOfPatientID, issuer);
        if (others != null) put(list, TagFromName.OtherPatientIDs, others);
        com.pixelmed.dicom.DateAttribute date = new com.pixelmed.dicom.DateAttribute(TagFromName.StudyDate);
        date.addValue("20240105");
        list.put(date);
        Path staged = workspace.staged(fileId);
        Files.createDirectories(staged.getParent());
        Files.writeString(staged, "original bytes");
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(HavenHeaders.FILE_ID, fileId);
        e.getIn().setHeader(HavenHeaders.PROJECT, project);
        e.getIn().setHeader(HavenHeaders.BOARD, "tayside");
        e.setProperty(HavenHeaders.DATASET, new DicomHeader(null, list));
        return e;
    }

    /** The file's fate, recorded as the release does: with the journey's held-back rows and events. */
    void released(Exchange e) throws Exception {
        String fileId = e.getIn().getHeader(HavenHeaders.FILE_ID, String.class);
        records.receive(fileId, "tayside", "src", 1, "test");
        assertThat(records.decide(fileId, "released", null, "research", "p/" + fileId + ".dcm", "test-node", FileRecords.takePending(e))).isTrue();
    }

    long patientFileRows(String fileId) throws Exception {
        try (java.sql.Connection c = store.connection();
             java.sql.PreparedStatement ps = c.prepareStatement("select count(*) from patient_file where file_id = ?")) {
            ps.setString(1, fileId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The patient's file record is written with the file's fate (one commit fewer per file): none after the resolve
     * stage alone, none from an attempt that never records a fate (the redelivery resolves again), one with the fate.
     */
    @Test
    void thePatientsFileRecordIsWrittenWithTheFate() throws Exception {
        Exchange attempt = file(id('h'), "p", CHI, "", null);
        stage.resolve(attempt);
        assertThat(patientFileRows(id('h'))).as("after resolve, before any fate").isZero();
        Exchange redelivery = file(id('h'), "p", CHI, "", null);
        stage.resolve(redelivery);
        released(redelivery);
        assertThat(patientFileRows(id('h'))).isEqualTo(1);
        assertThat(new LinkageExport(store).rows("p")).singleElement().asString().contains(CHI, "1");

        // held by a later stage: the hold writes the record too
        Exchange held = file(id('i'), "p", CHI, "", null);
        stage.resolve(held);
        records.receive(id('i'), "tayside", "src", 1, "test");
        records.decide(id('i'), "quarantined", "residual-identifier", "x", "residual-identifier/" + id('i') + ".dcm", "test-node",
            FileRecords.takePending(held));
        assertThat(patientFileRows(id('i'))).isEqualTo(1);
    }

    static void put(AttributeList list, AttributeTag tag, String value) throws Exception {
        LongStringAttribute a = new LongStringAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    static String id(char c) { return String.valueOf(c).repeat(64); }

    @Test
    void unresolvedThenMergedThenAlwaysThePerson() throws Exception {
        Exchange a = file(id('a'), "p", "T1", "NHS TAYSIDE", null);
        stage.resolve(a);
        released(a);
        String unresolved = a.getProperty(ResolveStage.PSEUDONYM, String.class);
        assertThat(unresolved).matches("H[0-9A-Z]{12}");
        assertThat(identities.status("p", "NHS TAYSIDE|T1")).contains("unresolved");
        assertThat(ResolveStage.retained(workspace, id('a'))).hasContent("original bytes");

        Exchange b = file(id('b'), "p", "t 1", "nhs tayside", CHI);
        stage.resolve(b);
        released(b);
        String person = b.getProperty(ResolveStage.PSEUDONYM, String.class);
        assertThat(person).isNotEqualTo(unresolved);
        assertThat(ResolveStage.retained(workspace, id('b'))).doesNotExist();
        assertThat(identities.relinks()).singleElement().satisfies(r -> {
            assertThat(r.unresolvedPseudonym()).isEqualTo(unresolved);
            assertThat(r.resolvedPseudonym()).isEqualTo(person);
            assertThat(r.chi()).isEqualTo(CHI);
        });
        assertThat(identities.status("p", "NHS TAYSIDE|T1")).contains("merged");

        Exchange c = file(id('c'), "p", "T1", "NHS TAYSIDE", null);
        stage.resolve(c);
        released(c);
        assertThat(c.getProperty(ResolveStage.PSEUDONYM, String.class)).as("the withdrawn pseudonym is never issued again").isEqualTo(person);

        Exchange other = file(id('d'), "q", CHI, "", null);
        stage.resolve(other);
        released(other);
        assertThat(other.getProperty(ResolveStage.PSEUDONYM, String.class)).as("another project").isNotEqualTo(person);

        List<String> rows = new LinkageExport(store).rows("p");
        assertThat(rows).containsExactlyInAnyOrder(
            "p," + CHI + "," + person + ",resolved,,NHS TAYSIDE:T1,tayside,20240105,20240105,2",
            "p," + CHI + "," + unresolved + ",merged," + person + ",NHS TAYSIDE:T1,tayside,20240105,20240105,1");
    }

    @Test
    void linkageProjectHoldsAndConflictsHold() throws Exception {
        assertThatThrownBy(() -> stage.resolve(file(id('e'), "link", "T2", "NHS TAYSIDE", null)))
            .isInstanceOf(QuarantineException.class).extracting(e -> ((QuarantineException) e).reason()).isEqualTo("unresolved-patient");
        assertThat(identities.find("link", "NHS TAYSIDE|T2")).isEmpty();
        Exchange ok = file(id('f'), "link", "T2", "NHS TAYSIDE", CHI);
        stage.resolve(ok);
        released(ok);
        assertThat(ok.getProperty(ResolveStage.PSEUDONYM, String.class)).isNotNull();
        assertThatThrownBy(() -> stage.resolve(file(id('g'), "link", CHI, "CHI", ResolverTest.CHI_B)))
            .isInstanceOf(QuarantineException.class).extracting(e -> ((QuarantineException) e).reason()).isEqualTo("patient-identity-conflict");
    }
}

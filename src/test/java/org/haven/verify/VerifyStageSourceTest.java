package org.haven.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.haven.HavenHeaders;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's source identifiers: parsed from the staged original after a JMS hop, or taken from the exchange when
 * the de-identifier ran on it in the same process (HavenSourceIdentifiers). Either way a surviving source
 * identifier holds the file.
 */
class VerifyStageSourceTest {
    static final String FILE = "ab".repeat(32);

    @TempDir
    Path tmp;
    Store store;
    VerifyStage stage;
    Workspace workspace;

    @BeforeEach
    void open() throws Exception {
        store = Store.open("jdbc:h2:mem:verifysource" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        workspace = Workspace.under(tmp.resolve("work"), tmp.resolve("release"), tmp.resolve("quarantine"));
        FileRecords records = new FileRecords(store);
        records.receive(FILE, "tayside", "test", 1, "test");
        stage = new VerifyStage(workspace, records, Verifier.load(Path.of("config/verify"), NameLists.of(Set.of(), Set.of())), "test");
        write(workspace.staged(FILE), "STRACHAN^KIRSTY", "CT HEAD");
    }

    @AfterEach
    void close() { store.close(); }

    static void write(Path file, String name, String description) throws Exception {
        Files.createDirectories(file.getParent());
        AttributeList l = new AttributeList();
        Dicom.put(l, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        Dicom.put(l, TagFromName.SOPInstanceUID, "2.25.1234");
        Dicom.put(l, TagFromName.PatientName, name);
        Dicom.put(l, TagFromName.StudyDescription, description);
        FileMetaInformation.addFileMetaInformation(l, "1.2.840.10008.1.2.1", "TEST");
        l.write(file.toFile(), "1.2.840.10008.1.2.1", true, true);
    }

    Exchange exchange() {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getIn().setHeader(HavenHeaders.FILE_ID, FILE);
        return e;
    }

    @Test
    void afterAHopTheOriginalIsParsed() throws Exception {
        write(workspace.outgoing(FILE), "HVN-1", "CT HEAD strachan");
        assertThatThrownBy(() -> stage.verify(exchange())).isInstanceOf(QuarantineException.class)
            .extracting(e -> ((QuarantineException) e).reason()).isEqualTo("verification:source-identifier");
    }

    @Test
    void inOneProcessTheDeidentifiersIdentifiersAreUsed() throws Exception {
        write(workspace.outgoing(FILE), "HVN-1", "CT HEAD ferguson");
        Exchange e = exchange();
        e.setProperty(HavenHeaders.SOURCE_IDENTIFIERS, KnownIdentifiers.of(Map.of(KnownIdentifiers.PATIENT_NAME, List.of("FERGUSON^ANN"))));
        assertThatThrownBy(() -> stage.verify(e)).isInstanceOf(QuarantineException.class)
            .extracting(x -> ((QuarantineException) x).reason()).isEqualTo("verification:source-identifier");
        Exchange clean = exchange();
        clean.setProperty(HavenHeaders.SOURCE_IDENTIFIERS, KnownIdentifiers.of(Map.of(KnownIdentifiers.PATIENT_NAME, List.of("FERGUSON^ANN"))));
        write(workspace.outgoing(FILE), "HVN-1", "CT HEAD");
        stage.verify(clean);
        assertThat(clean.isRouteStop()).isFalse();
    }
}

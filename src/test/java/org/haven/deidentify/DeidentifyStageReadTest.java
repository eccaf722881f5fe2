package org.haven.deidentify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import com.pixelmed.dicom.AttributeList;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.haven.HavenHeaders;
import org.haven.dicom.DicomHeader;
import org.haven.dicom.DicomLayout;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The de-identify stage's read: a header classify parsed in the same process (exchange property) is reused when
 * the pixel data is copied through; when pixels are to be blanked, or after a JMS hop, the staged file is parsed.
 */
class DeidentifyStageReadTest {
    static final String FILE = "cd".repeat(32);
    @TempDir
    Path tmp;
    Store store;
    DeidentifyStage stage;

    @BeforeEach
    void open() throws Exception {
        store = Store.open("jdbc:h2:mem:deidread" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        Workspace workspace = Workspace.under(tmp.resolve("work"), tmp.resolve("release"), tmp.resolve("quarantine"));
        stage = new DeidentifyStage(workspace, new FileRecords(store), ProfileRegistry.load(Path.of("config/profiles")), "k".getBytes(), "test");
    }

    @AfterEach
    void close() { store.close(); }

    static DicomHeader streamable() {
        return new DicomHeader(new DicomLayout(true, "1.2.840.10008.1.2.1", true, false, false, 1000, 2000, false, 2000, false, false, false),
            new AttributeList());
    }

    Exchange exchange(DicomHeader carried, String pixelAction) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getIn().setHeader(HavenHeaders.FILE_ID, FILE);
        e.getIn().setHeader(HavenHeaders.PIXEL_ACTION, pixelAction);
        if (carried != null) e.setProperty(HavenHeaders.DATASET, carried);
        return e;
    }

    @Test
    void aHeaderParsedInThisProcessIsReusedWhenPixelsAreCopiedThrough() throws Exception {
        DicomHeader carried = streamable();
        Exchange e = exchange(carried, "PASS");
        stage.read(e); // the staged file does not exist: only the carried header can satisfy this read
        assertThat(e.getProperty(HavenHeaders.DATASET)).isSameAs(carried);
    }

    @Test
    void blankingOrNoCarriedHeaderParsesTheStagedFile() {
        assertThatThrownBy(() -> stage.read(exchange(streamable(), "REDACT"))).isInstanceOf(QuarantineException.class);
        assertThatThrownBy(() -> stage.read(exchange(null, "PASS"))).isInstanceOf(QuarantineException.class);
    }
}

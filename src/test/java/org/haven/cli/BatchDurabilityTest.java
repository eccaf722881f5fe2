package org.haven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.haven.app.Settings;
import org.junit.jupiter.api.Test;

/**
 * A batch run with a store of its own skips the per-file fsync of de-identified copies (its input folder keeps every
 * original); the service, and a batch into the service's durable store, keep it.
 */
class BatchDurabilityTest {
    private static final Path WORK = Path.of("/tmp/haven-work/batch/run");

    @Test
    void theServiceForcesEachCopyToTheDevice() {
        assertThat(Settings.load(null, Map.of(), Map.of()).getBoolean("haven.outgoing.sync")).isTrue();
        assertThat(Settings.load(Path.of("config/haven.properties"), Map.of(), Map.of()).getBoolean("haven.outgoing.sync")).isTrue();
    }

    @Test
    void aBatchWithItsOwnStoreLeavesCopiesToWriteBack() {
        Settings batch = Settings.load(Path.of("config/haven.properties"), Map.of(), DeidentifyCommand.durability(true, WORK));
        assertThat(batch.getBoolean("haven.outgoing.sync")).isFalse();
        assertThat(batch.get("haven.db.url")).endsWith(";WRITE_DELAY=500");
    }

    @Test
    void aBatchIntoTheServiceStoreKeepsEverySync() {
        assertThat(DeidentifyCommand.durability(false, WORK)).isEmpty();
        Settings batch = Settings.load(Path.of("config/haven.properties"), Map.of(), DeidentifyCommand.durability(false, WORK));
        assertThat(batch.getBoolean("haven.outgoing.sync")).isTrue();
    }
}

package org.haven.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default H2 store lives under the workspace, wherever Haven is started from. */
class SettingsWorkspaceTest {
    @Test
    void theDefaultStoreIsUnderTheWorkspace(@TempDir Path dir) {
        Path props = Path.of("config/haven.properties");
        Settings absolute = Settings.load(props, Map.of("HAVEN_WORKSPACE", dir.toString()), Map.of());
        assertThat(absolute.get("haven.db.url")).startsWith("jdbc:h2:file:" + dir.resolve("db/haven") + ";");
        Settings relative = Settings.load(props, Map.of(), Map.of("haven.workspace", "some/work"));
        assertThat(relative.get("haven.db.url"))
            .startsWith("jdbc:h2:file:" + Path.of("some/work").toAbsolutePath().normalize().resolve("db/haven") + ";");
        // built-in defaults say the same when there is no properties file
        assertThat(Settings.load(null, Map.of("HAVEN_WORKSPACE", dir.toString()), Map.of()).get("haven.db.url"))
            .startsWith("jdbc:h2:file:" + dir.resolve("db/haven") + ";");
        // an explicit store URL is left alone
        assertThat(Settings.load(props, Map.of("HAVEN_DB_URL", "jdbc:postgresql://db/haven"), Map.of()).get("haven.db.url"))
            .isEqualTo("jdbc:postgresql://db/haven");
    }
}

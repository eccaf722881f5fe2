package org.haven.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small pages for the store that writes at every commit, and only for it. */
class EmbeddedH2PagesTest {
    @TempDir Path dir;

    @Test
    void onlyAStoreWritingAtEveryCommitGetsSmallPages() {
        assertThat(EmbeddedH2.withSmallPages("jdbc:h2:file:/w/db/haven;AUTO_SERVER=TRUE;WRITE_DELAY=0"))
            .isEqualTo("jdbc:h2:file:/w/db/haven;AUTO_SERVER=TRUE;WRITE_DELAY=0;PAGE_SIZE=4096");
        assertThat(EmbeddedH2.withSmallPages("jdbc:h2:file:/w/db/haven;WRITE_DELAY=0;AUTO_SERVER=TRUE")).endsWith(";PAGE_SIZE=4096");
        assertThat(EmbeddedH2.withSmallPages("jdbc:h2:file:/w/db/haven;WRITE_DELAY=500")).doesNotContain("PAGE_SIZE");
        assertThat(EmbeddedH2.withSmallPages("jdbc:h2:file:/w/db/haven;WRITE_DELAY=0;PAGE_SIZE=16384")).endsWith("PAGE_SIZE=16384");
        assertThat(EmbeddedH2.withSmallPages("jdbc:h2:mem:x;WRITE_DELAY=0")).doesNotContain("PAGE_SIZE");
        assertThat(EmbeddedH2.withSmallPages("jdbc:postgresql://127.0.0.1:5432/test")).doesNotContain("PAGE_SIZE");
    }

    @Test
    void theServicesStoreOpensWithThem() throws Exception {
        Store store = Store.open("jdbc:h2:file:" + dir.resolve("db/haven") + ";AUTO_SERVER=TRUE", "sa", null, 2);
        try (Connection c = store.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select setting_value from information_schema.settings where setting_name = 'info.PAGE_SIZE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("4096");
        } finally {
            store.close();
        }
    }
}

package org.haven.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.haven.config.ConfigException;
import org.haven.export.Destination;
import org.haven.export.Destinations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** boards.yaml and destinations.yaml: what they accept, and errors that name file, line and problem. */
class BoardsAndDestinationsConfigTest {
    @TempDir
    Path tmp;

    @Test
    void shippedFilesAreValid() {
        assertThat(Boards.load(Path.of("config/boards.yaml")).boards()).isNotEmpty();
        assertThat(Destinations.load(Path.of("config/destinations.yaml"), "HAVEN")).isEmpty();
    }

    @Test
    void aBoardIsFoundByAeTitleAndChecksItsHosts() throws Exception {
        Boards boards = Boards.load(write("boards:\n  - board: lothian\n    ae-titles: [LOTHIAN_PACS, LOTHIAN_CT]\n"
            + "    hosts: [127.0.0.1, 10.20.0.0/16]\n"));
        Boards.Board b = boards.byAeTitle("LOTHIAN_CT ").orElseThrow();
        assertThat(b.name()).isEqualTo("lothian");
        assertThat(b.allows(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(b.allows(InetAddress.getByName("10.20.255.1"))).isTrue();
        assertThat(b.allows(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(boards.byAeTitle("lothian_pacs")).isEmpty(); // AE titles are case-sensitive
    }

    @Test
    void boardErrorsNameFileLineAndProblem() throws Exception {
        assertError("boards:\n  - board: a\n    ae-titles: [X]\n    hosts: [127.0.0.1]\n  - board: b\n    ae-titles: [X]\n    hosts: [127.0.0.1]\n",
            6, "AE title 'X' already belongs to board 'a'");
        assertError("boards:\n  - board: a\n    ae-titles: [X]\n", 2, "missing required key 'hosts'");
        assertError("boards:\n  - board: a\n    ae-titles: [X]\n    hosts: [10.0.0.0/40]\n", 4, "prefix length over 32");
        assertError("boards:\n  - board: a\n    ae-title: [X]\n    hosts: [127.0.0.1]\n", 3, "unknown key 'ae-title'");
        assertError("boards:\n  - board: a\n    ae-titles: [THIS_AE_TITLE_IS_TOO_LONG]\n    hosts: [127.0.0.1]\n", 3, "not a valid AE title");
        assertError("boards:\n  - board: ../etc\n    ae-titles: [X]\n    hosts: [127.0.0.1]\n", 2, "board name");
    }

    @Test
    void destinationsAreValidatedWithLines() throws Exception {
        List<Destination> ok = Destinations.load(write("destinations:\n  - id: pacs\n    type: dicom\n    host: 127.0.0.1\n    port: 104\n"
            + "    called-ae-title: RESEARCH\n    projects: [study-a]\n  - id: web\n    type: stow-rs\n    url: http://127.0.0.1:8042/dicom-web/\n"), "HAVEN");
        assertThat(ok).hasSize(2);
        assertThat(ok.get(0).callingAeTitle()).isEqualTo("HAVEN");
        assertThat(ok.get(0).wants("study-a/H123/1/2/3.dcm")).isTrue();
        assertThat(ok.get(0).wants("study-b/H123/1/2/3.dcm")).isFalse();
        assertThat(ok.get(1).url().toString()).isEqualTo("http://127.0.0.1:8042/dicom-web");
        assertThatThrownBy(() -> Destinations.load(write("destinations:\n  - id: pacs\n    type: ftp\n"), "HAVEN"))
            .isInstanceOf(ConfigException.class).hasMessageContaining(":3: type must be dicom");
        assertThatThrownBy(() -> Destinations.load(write("destinations:\n  - id: pacs\n    type: dicom\n    host: h\n    port: 0\n"
            + "    called-ae-title: R\n"), "HAVEN")).isInstanceOf(ConfigException.class).hasMessageContaining(":2: a dicom destination needs 'port'");
        assertThatThrownBy(() -> Destinations.load(write("destinations:\n  - id: web\n    type: stow-rs\n    url: ftp://x\n"), "HAVEN"))
            .isInstanceOf(ConfigException.class).hasMessageContaining(":4: url must start with http");
    }

    private void assertError(String yaml, int line, String problem) throws Exception {
        Path f = write(yaml);
        assertThatThrownBy(() -> Boards.load(f)).isInstanceOf(ConfigException.class)
            .hasMessageContaining(f + ":" + line + ": ").hasMessageContaining(problem);
    }

    private Path write(String yaml) throws Exception {
        return Files.writeString(Files.createTempFile(tmp, "cfg", ".yaml"), yaml);
    }
}

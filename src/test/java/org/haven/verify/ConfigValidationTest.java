package org.haven.verify;

import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.haven.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule files are validated at load; every error names the file and the line. */
class ConfigValidationTest {
    @TempDir Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    private ConfigException fails() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Verifier.load(dir, NameLists.EMPTY));
        assertThat(t).isInstanceOf(ConfigException.class);
        return (ConfigException) t;
    }

    @Test
    void shippedConfigLoads() {
        Verifier v = Verifier.load(Path.of("config/verify"), NameLists.EMPTY);
        assertThat(v.ruleIds()).contains("source-identifier", "chi", "nhs-number", "postcode", "phone", "email", "date", "name", "hospital-number-labelled");
    }

    @Test
    void unknownKeyNamesFileAndLine() throws Exception {
        Path f = write("a.yaml", "rules:\n  - id: x\n    detector: chi\n    colour: red\n");
        ConfigException e = fails();
        assertThat(e.file()).isEqualTo(f);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("a.yaml:4").contains("unknown key 'colour'");
    }

    @Test
    void badRegex() throws Exception {
        write("a.yaml", "rules:\n  - id: x\n    classification: hospital-number\n    regex: '[A-Z'\n");
        ConfigException e = fails();
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("bad regex");
    }

    @Test
    void duplicateIdAcrossFiles() throws Exception {
        write("a.yaml", "rules:\n  - id: same\n    detector: chi\n");
        Path b = write("b.yaml", "allow:\n  - id: other\n    values: [x]\n  - id: same\n    values: [y]\n");
        ConfigException e = fails();
        assertThat(e.file()).isEqualTo(b);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("duplicate id 'same'").contains("a.yaml:2");
    }

    @Test
    void unknownDetector() throws Exception {
        write("a.yaml", "rules:\n  - id: x\n    detector: chi\n  - id: y\n    detector: telepathy\n");
        ConfigException e = fails();
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("unknown detector 'telepathy'");
    }

    @Test
    void unknownAttributeKeywordAndVr() throws Exception {
        write("a.yaml", "rules:\n  - id: x\n    detector: date\n    exclude: [StudyDescriptoin]\n");
        assertThat(fails().getMessage()).contains("a.yaml:4").contains("unknown attribute keyword 'StudyDescriptoin'");
        write("a.yaml", "rules:\n  - id: x\n    detector: date\n    exclude-vr: [DA, XX]\n");
        assertThat(fails().getMessage()).contains("a.yaml:4").contains("VR 'XX'");
    }

    @Test
    void regexRuleNeedsClassificationAndExactlyOneMatcher() throws Exception {
        write("a.yaml", "rules:\n  - id: x\n    regex: 'abc'\n");
        assertThat(fails().getMessage()).contains("a.yaml:2").contains("needs a 'classification'");
        write("a.yaml", "rules:\n  - id: x\n    regex: 'abc'\n    detector: chi\n    classification: c\n");
        assertThat(fails().getMessage()).contains("exactly one of 'detector' or 'regex'");
    }

    @Test
    void allowEntryMustReferToKnownRule() throws Exception {
        write("a.yaml", "rules:\n  - id: x\n    detector: chi\nallow:\n  - id: a\n    rules: [nope]\n    values: [v]\n");
        ConfigException e = fails();
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("unknown rule or classification 'nope'");
    }

    @Test
    void unknownTopLevelKeyAndBadYaml() throws Exception {
        write("a.yaml", "rules: []\nrulez: []\n");
        assertThat(fails().getMessage()).contains("a.yaml:2").contains("unknown key 'rulez'");
        write("a.yaml", "rules:\n  - id: x\n   detector: [\n");
        assertThat(fails().getMessage()).contains("a.yaml:").contains("not valid YAML");
    }

    @Test
    void emptyOrMissingDirectory() {
        assertThatThrownBy(() -> Verifier.load(dir, NameLists.EMPTY)).isInstanceOf(ConfigException.class).hasMessageContaining("no *.yaml");
        assertThatThrownBy(() -> Verifier.load(dir.resolve("missing"), NameLists.EMPTY)).isInstanceOf(ConfigException.class);
    }

    @Test
    void requiredNameListsMissingIsAnError() throws Exception {
        write("a.yaml", "rules:\n  - id: n\n    detector: name\nname-lists:\n  dir: " + dir.resolve("none") + "\n  required: true\n");
        // HAVEN_NAME_LISTS, when set in the environment, overrides the configured directory
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("HAVEN_NAME_LISTS") == null);
        assertThatThrownBy(() -> Verifier.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a.yaml:5").hasMessageContaining("name lists required");
    }
}

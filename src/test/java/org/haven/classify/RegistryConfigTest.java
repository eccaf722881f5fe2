package org.haven.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.haven.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** manufacturers.yaml and devices.yaml: normalisation, matching, and validation errors that name file and line. */
class RegistryConfigTest {
    @TempDir
    Path tmp;

    @Test
    void shippedTablesLoadAndVendorSpellingsMergeIntoOneSignature() {
        Manufacturers m = Manufacturers.load(Path.of("config/manufacturers.yaml"));
        DeviceRegistry devices = DeviceRegistry.load(Path.of("config/devices.yaml"), Set.of("research", "basic"));
        String[][] spellings = {{"SIEMENS", "Siemens Healthineers", "SIEMENS "}, {"GE MEDICAL SYSTEMS", "GE Healthcare", "ge  healthcare"},
            {"Philips Medical Systems", "Philips", "PHILIPS HEALTHCARE"}};
        String[] expected = {"Siemens", "GE", "Philips"};
        for (int v = 0; v < spellings.length; v++) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (String raw : spellings[v]) {
                DeviceSignature s = sig("MR", raw, "Model X", m);
                assertThat(s.manufacturer()).isEqualTo(expected[v]);
                assertThat(s.manufacturerRaw()).isEqualTo(raw.trim().replaceAll("\\s+", " "));
                ids.add(s.id());
            }
            assertThat(ids).as("one signature for %s", expected[v]).hasSize(1);
        }
        assertThat(sig("MR", "Acme Imaging", "", m).manufacturer()).as("unmapped kept as received").isEqualTo("Acme Imaging");
        assertThat(sig("CT", "GE MEDICAL SYSTEMS", "LightSpeed16", m).model()).isEqualTo("LightSpeed 16");
        assertThat(devices.match(sig("MR", "Siemens Healthineers", "Prisma", m)).orElseThrow().id()).isEqualTo("siemens-mr");
        assertThat(devices.match(sig("CT", "GE Healthcare", "", m)).orElseThrow().id()).isEqualTo("ge-ct");
        assertThat(devices.match(sig("CT", "Acme Imaging", "", m))).isEmpty();
        assertThat(devices.match(sig("SC", "GE", "", m)).orElseThrow().state()).isEqualTo(DeviceRegistry.State.BLOCKED);
    }

    @Test
    void firstMatchWinsAndExtraFieldsNarrowAPattern() throws Exception {
        Path f = write("devices.yaml", """
            devices:
              - id: us-logiq-small
                modality: US
                manufacturer: GE
                privateCreator: "GEMS_ULTRASOUND_.*"
                imageSize: "480x640"
                station: "US-0[0-9]"
                state: trusted
                profile: basic
                pixels: us-logiq-band
              - id: any-us
                modality: US
                state: review
            """);
        DeviceRegistry r = DeviceRegistry.load(f, Set.of("basic"));
        Manufacturers m = Manufacturers.load(Path.of("config/manufacturers.yaml"));
        DeviceSignature fits = DeviceSignature.of("US", "GE Healthcare", "LOGIQE9", "1.0", "US-03", "ACME 1\\GEMS_ULTRASOUND_MOVIE_001",
            "480x640", "1.2.840.10008.5.1.4.1.1.6.1", "", "", "", m);
        DeviceRegistry.Device d = r.match(fits).orElseThrow();
        assertThat(d.id()).isEqualTo("us-logiq-small");
        assertThat(d.pixels()).isEqualTo("us-logiq-band");
        assertThat(d.rule()).isEqualTo("devices.yaml:2 us-logiq-small {modality=US manufacturer=GE station=US-0[0-9]"
            + " privateCreator=GEMS_ULTRASOUND_.* imageSize=480x640}");
        DeviceSignature otherSize = DeviceSignature.of("US", "GE Healthcare", "LOGIQE9", "1.0", "US-03", "GEMS_ULTRASOUND_MOVIE_001",
            "600x800", "", "", "", "", m);
        assertThat(r.match(otherSize).orElseThrow().id()).isEqualTo("any-us");
        DeviceSignature noCreator = DeviceSignature.of("US", "GE", "LOGIQE9", "1.0", "US-03", "", "480x640", "", "", "", "", m);
        assertThat(r.match(noCreator).orElseThrow().id()).isEqualTo("any-us");
    }

    @Test
    void devicesYamlErrorsNameFileAndLine() throws Exception {
        assertError("devices.yaml", "devices:\n  - id: a\n    modality: CT\n    state: maybe\n", 4, "state must be trusted, review or blocked");
        assertError("devices.yaml", "devices:\n  - id: a\n    modality: CT\n    colour: red\n    state: review\n", 4, "unknown key 'colour'");
        assertError("devices.yaml", "devices:\n  - id: a\n    state: review\n  - id: b\n    modality: \"CT(\"\n    state: review\n", 5,
            "'modality' is not a valid regular expression");
        assertError("devices.yaml", "devices:\n  - id: a\n    state: review\n  - id: a\n    state: review\n", 4, "duplicate device id 'a'");
        assertError("devices.yaml", "devices:\n  - id: a\n    state: trusted\n", 2, "trusted device 'a' needs a profile");
        assertError("devices.yaml", "devices:\n  - id: a\n    state: trusted\n    profile: nope\n", 4, "unknown profile 'nope'");
        assertError("devices.yaml", "devices:\n  - id: a\n    state: trusted\n    profile: basic\n    pixels: \"bad rule\"\n", 5, "pixel rule id");
        assertError("devices.yaml", "devices:\n  - id: a\n    state: review\n  - id: b\n    state: trusted\n    profile: basic+nope\n", 6,
            "unknown profile 'nope' in 'basic+nope'");
    }

    @Test
    void aTrustedDeviceMayNameACompositionOfKnownProfiles() throws Exception {
        Path f = write("devices.yaml", "devices:\n  - id: a\n    modality: MR\n    state: trusted\n    profile: research+retain-uids\n");
        DeviceRegistry r = DeviceRegistry.load(f, Set.of("research", "retain-uids"));
        assertThat(r.devices()).singleElement().satisfies(d -> assertThat(d.profile()).isEqualTo("research+retain-uids"));
    }

    @Test
    void manufacturersYamlErrorsNameFileAndLine() throws Exception {
        assertError("manufacturers.yaml", "manufacturers:\n  - name: GE\n    spellings: [GEMS]\n  - name: Other\n    spellings:\n      - Acme\n      - gems\n",
            7, "spelling 'gems' already maps to manufacturer 'GE'");
        assertError("manufacturers.yaml", "manufacturers:\n  - name: GE\n    pattern: \"GE[\"\n", 3, "'pattern' is not a valid regular expression");
        assertError("manufacturers.yaml", "manufacturers:\n  - name: GE\n    spelling: [GEMS]\n", 3, "unknown key 'spelling'");
        assertError("manufacturers.yaml", "manufacturers:\n  - name: GE\n", 2, "needs 'spellings' or 'pattern'");
        assertError("manufacturers.yaml", "manufacturers:\n  - name: GE\n    spellings: [GEMS]\nmodels:\n  - manufacturer: Siemens\n    name: Prisma\n"
            + "    spellings: [PRISMA]\n", 5, "names manufacturer 'Siemens', which is not a normalised name");
        assertError("manufacturers.yaml", "manufacturers:\n  - name: GE\n    spellings: [GEMS\n", 4, "not valid YAML");
    }

    private void assertError(String name, String yaml, int line, String problem) throws Exception {
        Path f = write(name, yaml);
        assertThatThrownBy(() -> {
            if (name.startsWith("devices")) DeviceRegistry.load(f, Set.of("basic"));
            else Manufacturers.load(f);
        }).isInstanceOf(ConfigException.class)
            .satisfies(e -> assertThat(((ConfigException) e).line()).as(e.getMessage()).isEqualTo(line))
            .hasMessageStartingWith(f + ":" + line + ": ")
            .hasMessageContaining(problem);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    static DeviceSignature sig(String modality, String manufacturer, String model, Manufacturers m) {
        return DeviceSignature.of(modality, manufacturer, model, "1.0", "", "", "", "", "", "", "", m);
    }
}

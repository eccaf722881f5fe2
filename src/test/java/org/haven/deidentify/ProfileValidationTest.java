package org.haven.deidentify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.haven.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bad profile files fail at load with the file, the line and the problem. */
class ProfileValidationTest {
    @TempDir
    Path dir;

    private ConfigException loadFails(String file, String yaml) throws IOException {
        Files.writeString(dir.resolve(file), yaml);
        return catchThrowableOfType(ConfigException.class, () -> ProfileRegistry.load(dir));
    }

    @Test
    void unknownKeyword() throws IOException {
        ConfigException e = loadFails("p.yaml", "attributes:\n  PatientName: Z\n  PatientNmae: X\n");
        assertThat(e.file().getFileName().toString()).isEqualTo("p.yaml");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("p.yaml:3").contains("unknown attribute keyword 'PatientNmae'");
    }

    @Test
    void badTag() throws IOException {
        ConfigException e = loadFails("p.yaml", "attributes:\n  \"(0010,0010)\": Z\n\n  \"(00G0,0010)\": X\n");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("bad tag '(00G0,0010)'");
    }

    @Test
    void badAction() throws IOException {
        ConfigException e = loadFails("p.yaml", "# comment\nattributes:\n  PatientName: scramble\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("bad action 'scramble'").contains("PatientName");
    }

    @Test
    void shiftDateOnANameIsRejected() throws IOException {
        ConfigException e = loadFails("p.yaml", "attributes:\n  PatientName: shift-date\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("shift-date applies to DA, DT and TM").contains("PN");
    }

    @Test
    void unknownParent() throws IOException {
        ConfigException e = loadFails("child.yaml", "description: x\nextends: basci\n");
        assertThat(e.file().getFileName().toString()).isEqualTo("child.yaml");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("extends unknown profile 'basci'");
    }

    @Test
    void cycleInExtends() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "extends: b\n");
        ConfigException e = loadFails("b.yaml", "description: b\n\nextends: [a]\n");
        assertThat(e.getMessage()).contains("cycle in extends").contains("a -> b -> a");
        assertThat(e.line()).isIn(1, 3);
        assertThat(e.file().getFileName().toString()).isIn("a.yaml", "b.yaml");
    }

    @Test
    void selfCycle() throws IOException {
        ConfigException e = loadFails("s.yaml", "extends: s\n");
        assertThat(e.getMessage()).contains("s.yaml:1").contains("cycle in extends: s -> s");
    }

    @Test
    void unknownTopLevelKey() throws IOException {
        ConfigException e = loadFails("p.yaml", "description: x\natributes:\n  PatientName: Z\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("unknown key 'atributes'");
    }

    @Test
    void privateTagMustUseThePrivateRule() throws IOException {
        ConfigException e = loadFails("p.yaml", "attributes:\n  \"(0019,1023)\": K\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("private tag");
    }

    @Test
    void unknownMethodCode() throws IOException {
        ConfigException e = loadFails("p.yaml", "methods: [113100, 999999]\n");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.getMessage()).contains("999999");
    }

    @Test
    void keepSafeWithoutAllowlist() throws IOException {
        ConfigException e = loadFails("p.yaml", "private: keep-safe\n");
        assertThat(e.getMessage()).contains("safe-private");
    }

    @Test
    void badSafePrivateEntry() throws IOException {
        Files.createDirectories(dir.resolve("private"));
        Files.writeString(dir.resolve("private/safe.yaml"), "\"GEMS_ACQU_01\":\n  (0019,1023): TableSpeed\n");
        ConfigException e = loadFails("p.yaml", "private: keep-safe\nsafe-private: private/safe.yaml\n");
        assertThat(e.file().getFileName().toString()).isEqualTo("safe.yaml");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("(0019,xx0C)");
    }

    @Test
    void shippedProfilesLoad() {
        ProfileRegistry r = ProfileRegistry.load(Path.of("config/profiles"));
        assertThat(r.names()).contains("basic", "research", "retain-safe-private", "retain-uids", "retain-device-identity",
                "retain-institution-identity", "retain-patient-characteristics", "retain-full-dates", "retain-modified-dates",
                "clean-descriptors", "clean-structured-content", "clean-graphics");
        assertThat(r.get("nope")).isNull();
        assertThat(r.get("research").ruleFor(0x0010, 0x0010).action()).isEqualTo(Action.PSEUDONYM);
        assertThat(r.get("research").ruleFor(0x0008, 0x0020).action()).isEqualTo(Action.SHIFT_DATE);
        assertThat(r.get("research").ruleFor(0x0008, 0x1030).action()).isEqualTo(Action.CLEAN_TEXT);
        assertThat(r.get("basic").ruleFor(0x6002, 0x3000).action()).isEqualTo(Action.REMOVE);
        assertThat(r.get("basic").ruleFor(0x6002, 0x3000).source()).startsWith("basic.yaml:");
    }

    @Test
    void anOptionComposedOnResearchAddsOnlyItsOwnRules() {
        ProfileRegistry shipped = ProfileRegistry.load(Path.of("config/profiles"));
        Profile research = shipped.get("research");
        Profile composed = shipped.get("research+retain-device-identity");
        assertThat(composed).isNotNull();
        assertThat(composed.name()).isEqualTo("research+retain-device-identity");
        assertThat(composed.applied()).endsWith("research", "retain-device-identity").containsOnlyOnce("basic");
        // the option's own rule applies ...
        assertThat(composed.ruleFor(0x0008, 0x1010).action()).isEqualTo(Action.KEEP);                    // StationName
        assertThat(research.ruleFor(0x0008, 0x1010).action()).isNotEqualTo(Action.KEEP);
        // ... and research's dates, descriptors, patient characteristics and private rule are not undone by basic
        assertThat(composed.ruleFor(0x0008, 0x0020).action()).isEqualTo(Action.SHIFT_DATE);              // StudyDate
        assertThat(composed.ruleFor(0x0008, 0x1030).action()).isEqualTo(Action.CLEAN_TEXT);              // StudyDescription
        assertThat(composed.ruleFor(0x0010, 0x0040).action()).isEqualTo(Action.KEEP);                    // PatientSex
        assertThat(composed.privateRule().action()).isEqualTo(Action.CLEAN);
        assertThat(composed.methodCodes()).containsAll(research.methodCodes()).contains("113109");
        // the standard's two options disagree on calibration dates (shifted vs kept): reported, the later one wins
        assertThat(composed.conflicts()).isNotEmpty().allSatisfy(c -> assertThat(c).contains("overridden by K (retain-device-identity.yaml:"));
        assertThat(shipped.get("research+retain-device-identity")).isSameAs(composed);   // resolved once
    }

    @Test
    void conflictingOptionsResolveLeftToRightAndAreReportedWithFileAndLine() {
        ProfileRegistry shipped = ProfileRegistry.load(Path.of("config/profiles"));
        Profile full = shipped.get("research+retain-full-dates");
        assertThat(full.ruleFor(0x0008, 0x0020).action()).isEqualTo(Action.KEEP);
        assertThat(full.longitudinalTemporalInformation()).isEqualTo("UNMODIFIED");
        assertThat(full.conflicts()).anySatisfy(c -> assertThat(c).startsWith("StudyDate: shift-date (retain-modified-dates.yaml:")
                .containsPattern("overridden by K \\(retain-full-dates\\.yaml:\\d+\\)"));
        // the other order: the later option wins again
        Profile modified = shipped.get("retain-full-dates+research");
        assertThat(modified.ruleFor(0x0008, 0x0020).action()).isEqualTo(Action.SHIFT_DATE);
        assertThat(modified.conflicts()).anySatisfy(c -> assertThat(c).startsWith("StudyDate: K (retain-full-dates.yaml:"));
    }

    @Test
    void aCompositionWithAnUnknownPartIsRefusedWithTheKnownNames() {
        ProfileRegistry shipped = ProfileRegistry.load(Path.of("config/profiles"));
        assertThat(shipped.get("research+retain-nothing")).isNull();
        assertThat(shipped.problem("research+retain-nothing")).contains("unknown profile 'retain-nothing'").contains("retain-uids");
        assertThat(shipped.problem("research+retain-uids")).isNull();
    }

    @Test
    void conflictsBetweenParentsOfAFileAreRecordedToo() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "attributes:\n  StationName: K\n");
        Files.writeString(dir.resolve("b.yaml"), "attributes:\n\n  StationName: X\n");
        Files.writeString(dir.resolve("c.yaml"), "extends: [a, b]\n");
        Profile c = ProfileRegistry.load(dir).get("c");
        assertThat(c.ruleFor(0x0008, 0x1010).action()).isEqualTo(Action.REMOVE);
        assertThat(c.conflicts()).containsExactly("StationName: K (a.yaml:2) overridden by X (b.yaml:3)");
    }
}

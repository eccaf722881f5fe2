package org.haven.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;

import org.haven.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared detectors on their own (no source header): addresses, untitled names, and codes that are not identifiers. */
class TextRulesTest {
    static TextRules rules;

    @BeforeAll
    static void load() {
        rules = TextRules.load(Path.of("config/verify"), NameLists.of(Set.of("Eilidh", "John", "Anne"), Set.of("Macrae", "Smith", "Young")));
    }

    static Field field(String keyword, String vr, String text) {
        AttributeTag t = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        return new Field(List.of(new Field.Element(t.getGroup(), t.getElement(), keyword, false)), keyword, vr, text);
    }

    static List<String> classes(String keyword, String vr, String text) {
        return rules.find(field(keyword, vr, text), KnownIdentifiers.none()).stream().filter(TextRules.Hit::reported)
                .map(TextRules.Hit::classification).toList();
    }

    static List<String> matched(String text) {
        return rules.find(field("AdditionalPatientHistory", "LT", text), KnownIdentifiers.none()).stream().filter(TextRules.Hit::reported)
                .map(h -> text.substring(h.start(), h.end())).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Fall at home, 27 Kirkton Crescent, Forfar", "lives 4 Burnside Rd", "FLAT 2/1, 14 BURNSIDE STREET",
            "from 9a Mill Lane", "12 Rowan Court, Dundee", "3 Castle View DD8 3AB", "Flat 0/2", "c/o 4 Low Wynd"})
    void addresses(String text) {
        assertThat(classes("AdditionalPatientHistory", "LT", text)).contains("address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2 views of the left wrist", "3 Lateral View", "T2 FLAIR SAG 3D", "5 Axial Slices", "Series 3 of 12",
            "RT PLAN 2 FRACTIONS 50 Gy", "1 Year follow up", "CT HEAD W/O CONTRAST", "Dr Gray's Hospital"})
    void notAddresses(String text) {
        assertThat(classes("AdditionalPatientHistory", "LT", text)).doesNotContain("address");
    }

    @Test
    void townAndPostcodeAfterAStreetArePartOfTheAddress() {
        assertThat(matched("Fall at home, 27 Kirkton Crescent, Forfar DD8 3AB. Pain")).containsExactly("27 Kirkton Crescent, Forfar DD8 3AB");
        assertThat(matched("home 5 Mill Road, Forfar DD8 today")).containsExactly("5 Mill Road, Forfar DD8");
    }

    @Test
    void untitledNamesWithContext() {
        assertThat(matched("seen by Eilidh MACRAE on ward")).containsExactly("Eilidh MACRAE");
        assertThat(matched("referred by Morag Stewart")).containsExactly("Morag Stewart");   // not in the lists: the context is enough
        assertThat(matched("MACRAE Eilidh, ?PE")).containsExactly("MACRAE Eilidh");
        assertThat(matched("pt J. Smith consented")).containsExactly("J. Smith");
        assertThat(matched("GP Dr Young")).containsExactly("Dr Young");                     // Young is also an allowlisted word
        assertThat(matched("referred by Emergency Department")).isEmpty();
    }

    @Test
    void codesAndTechnicalValuesAreNotNamesOrHospitalNumbers() {
        assertThat(classes("CodeMeaning", "LO", "XYZ^CT")).isEmpty();
        assertThat(classes("PerformedProcedureStepDescription", "LO", "XYZ^CT")).isEmpty();
        assertThat(classes("ReferringPhysicianName", "PN", "XYZ^CT")).isEmpty();           // a method code written like a PN
        assertThat(classes("ReferringPhysicianName", "PN", "RADIOLOGY^DEPT")).isEmpty();   // a department in a PN field
        assertThat(classes("ReferringPhysicianName", "PN", "Smith^John")).containsExactly("name");
        assertThat(classes("DeviceSerialNumber", "LO", "G1234567A")).isEmpty();           // a detector serial number
        assertThat(classes("DetectorID", "SH", "LH1234567")).isEmpty();
        assertThat(classes("ImageComments", "LT", "hosp no LH1234567")).containsExactly("hospital-number");
    }

    @Test
    void codeScopeStillLooksForTheFilesOwnIdentifiers() {
        KnownIdentifiers known = KnownIdentifiers.of(java.util.Map.of(KnownIdentifiers.PATIENT_NAME, List.of("MACRAE^EILIDH")));
        assertThat(rules.find(field("CodeMeaning", "LO", "Macrae"), known)).extracting(TextRules.Hit::classification).containsExactly("source-identifier");
    }

    @Test
    void attributeKindsAreValidatedWithFileAndLine(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("config/verify/detectors.yaml"), dir.resolve("detectors.yaml"));
        Files.writeString(dir.resolve("scope.yaml"), "attributes:\n  - kind: code\n    apply-to: [CodeValue]\n");
        assertThatThrownBy(() -> TextRules.load(dir, NameLists.EMPTY)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("scope.yaml:2").hasMessageContaining("reason");
        Files.writeString(dir.resolve("scope.yaml"), "attributes:\n  - kind: vocabulary\n    reason: x\n    apply-to: [CodeValue]\n");
        assertThatThrownBy(() -> TextRules.load(dir, NameLists.EMPTY)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("scope.yaml:2").hasMessageContaining("kind");
    }

    /**
     * The same value seen again (a later file) gives the same findings as the first time, with that file's own
     * identifiers (never the previous file's), and the same text elsewhere is judged by that place's rules.
     */
    @Test
    void aValueSeenAgainIsJudgedByItsPlaceAndItsOwnFilesIdentifiers() {
        TextRules fresh = TextRules.load(Path.of("config/verify"), NameLists.of(Set.of("Eilidh"), Set.of("Macrae")));
        String text = "seen by Eilidh Macrae, Rowan ward 27 Kirkton Crescent";
        KnownIdentifiers rowan = KnownIdentifiers.of(java.util.Map.of(KnownIdentifiers.PATIENT_NAME, List.of("ROWAN^ALEX")));
        KnownIdentifiers other = KnownIdentifiers.of(java.util.Map.of(KnownIdentifiers.PATIENT_NAME, List.of("BURNS^ROBERT")));
        Field history = field("AdditionalPatientHistory", "LT", text);
        List<TextRules.Hit> first = fresh.find(history, rowan);
        List<TextRules.Hit> again = fresh.find(history, rowan);
        assertThat(again).isEqualTo(first);
        assertThat(first).anyMatch(h -> h.classification().equals("source-identifier") && text.substring(h.start(), h.end()).equals("Rowan"));
        assertThat(first).anyMatch(h -> h.classification().equals("name"));
        List<TextRules.Hit> otherFile = fresh.find(history, other);
        assertThat(otherFile).noneMatch(h -> h.classification().equals("source-identifier"));
        assertThat(otherFile).anyMatch(h -> h.classification().equals("name"));
        // a code value holds codes: only the file's own identifiers are looked for there, whatever was seen elsewhere
        assertThat(fresh.find(field("CodeValue", "SH", text), other)).isEmpty();
        assertThat(fresh.find(field("CodeValue", "SH", text), rowan)).isNotEmpty().allMatch(h -> h.classification().equals("source-identifier"));
    }
}

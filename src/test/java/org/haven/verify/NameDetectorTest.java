package org.haven.verify;

import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names with and without context, with small made-up lists and (when fetched) the real ones. */
class NameDetectorTest {
    static Verifier withLists;
    static Verifier noLists;

    @BeforeAll
    static void load() {
        NameLists lists = NameLists.of(Set.of("John", "Anne", "Mark", "May", "Will", "Jan", "Grace", "Field"),
                Set.of("Smith", "Murray", "Brain", "Head", "Lee", "Strength", "McLeod"));
        withLists = Verifier.load(Path.of("config/verify"), lists);
        noLists = Verifier.load(Path.of("config/verify"), NameLists.EMPTY);
    }

    static List<String> names(Verifier v, String keyword, String vr, String text) {
        return v.scanText(keyword, vr, text, null).findings().stream().filter(f -> f.classification().equals("name")).map(Finding::matchedText).toList();
    }

    static List<String> names(Verifier v, String text) { return names(v, "StudyComments", "LT", text); }

    @Test
    void titleFollowedByCapitalisedWordWithOrWithoutLists() {
        for (Verifier v : List.of(withLists, noLists)) {
            assertThat(names(v, "Seen by Dr Smith today")).containsExactly("Dr Smith");
            assertThat(names(v, "Reported by Prof. Anne Murray")).containsExactly("Prof. Anne Murray");
            assertThat(names(v, "for Mrs J. McLeod")).containsExactly("Mrs J. McLeod");
            assertThat(names(v, "Dr.Xyzzy")).containsExactly("Dr.Xyzzy");
        }
    }

    @Test
    void modalitiesInCapitalsAreNotTitles() {
        assertThat(names(withLists, "MR BRAIN")).isEmpty();
        assertThat(names(withLists, "DR CHEST Smith")).isEmpty();
        assertThat(names(withLists, "Dr to review")).isEmpty();
        assertThat(names(withLists, "Dr Topogram")).isEmpty(); // allowlisted word after a title
    }

    @Test
    void firstNameFollowedByCapitalisedNameNeedsTheLists() {
        assertThat(names(withLists, "John Smith attended")).containsExactly("John Smith");
        assertThat(names(withLists, "for Anne MURRAY")).containsExactly("Anne MURRAY");
        assertThat(names(withLists, "JOHN SMITH CT")).containsExactly("JOHN SMITH");
        assertThat(names(noLists, "John Smith attended")).isEmpty();
    }

    @Test
    void dictionaryHitWithoutContextIsNotEnough() {
        assertThat(names(withLists, "John attended")).isEmpty();           // first name alone
        assertThat(names(withLists, "Smith")).isEmpty();                    // surname alone
        assertThat(names(withLists, "John walked")).isEmpty();              // followed by lower case
        assertThat(names(withLists, "Jan MRI")).isEmpty();                  // short capitals word
        assertThat(names(withLists, "Field Strength 3T")).isEmpty();        // both allowlisted clinical words
        assertThat(names(withLists, "Mark Left side")).isEmpty();           // Mark allowlisted
        assertThat(names(withLists, "May Head")).isEmpty();
        assertThat(names(withLists, "Will Brain")).isEmpty();
        assertThat(names(withLists, "Grace Smith")).isEmpty();              // Grace allowlisted: known miss, documented
    }

    @Test
    void surnameCommaGiven() {
        assertThat(names(withLists, "BERRA,JAMES")).isEmpty();              // James is not on the test list
        assertThat(names(withLists, "SMITH, JOHN")).containsExactly("SMITH, JOHN");
        assertThat(names(withLists, "Smith, John")).containsExactly("Smith, John");
    }

    @Test
    void caretSeparatedNameOutsidePersonNameAttributes() {
        for (Verifier v : List.of(withLists, noLists)) {
            assertThat(names(v, "StudyDescription", "LO", "SMITH^JOHN CT HEAD")).containsExactly("SMITH^JOHN");
            assertThat(names(v, "StudyDescription", "LO", "Abdomen^1_ABD (Adult)")).isEmpty();
            assertThat(names(v, "StudyDescription", "LO", "CT^HEAD")).isEmpty();      // allowlisted words
        }
    }

    @Test
    void personNameAttributes() {
        assertThat(names(noLists, "ReferringPhysicianName", "PN", "Xyzzy^Qwerty")).containsExactly("Xyzzy^Qwerty");
        assertThat(names(withLists, "OperatorsName", "PN", "SMITH")).containsExactly("SMITH");
        assertThat(names(noLists, "OperatorsName", "PN", "SMITH")).isEmpty();             // one word, no lists: degraded
        assertThat(names(withLists, "PatientName", "PN", "ANONYMOUS")).isEmpty();
        assertThat(names(withLists, "PatientName", "PN", "ce8f4ba0-96f3-41f4-9e23")).isEmpty();
        assertThat(names(withLists, "PatientName", "PN", "CompressedSamples^CT1")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CT HEAD W/O CONTRAST", "MR BRAIN T2 FLAIR AX", "CHEST PA", "Topogram 0.6 T20f", "Head First-Supine",
            "Brain Perfusion", "Mark Lesion", "Will Follow Up", "Field Strength", "Body Coil", "Routine Brain", "Head Neck Angio"})
    void clinicalTextWithRealListsGivesNoName(String text) throws Exception {
        Path dir = org.haven.TestData.nameLists(); // fails in CI when absent
        Verifier real = Verifier.load(Path.of("config/verify"), NameLists.load(dir));
        assertThat(real.hasNameLists()).isTrue();
        assertThat(real.scanText("SeriesDescription", "LO", text, null).findings()).isEmpty();
        assertThat(names(real, "Reported by John Smith")).containsExactly("John Smith");
    }
}

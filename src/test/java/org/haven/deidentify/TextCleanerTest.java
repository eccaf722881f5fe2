package org.haven.deidentify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.pixelmed.dicom.AttributeTag;

import org.haven.config.ConfigException;
import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import org.haven.text.TextRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The text cleaner with the shipped detectors (config/verify) and small name lists. */
class TextCleanerTest {
    static TextCleaner cleaner;
    static final TextCleaner.FileIds SMITH = new TextCleaner.FileIds(KnownIdentifiers.of(Map.of(
            KnownIdentifiers.PATIENT_NAME, List.of("SMITH^JOHN"),
            KnownIdentifiers.PATIENT_ID, List.of("PID445566"),
            KnownIdentifiers.ACCESSION_NUMBER, List.of("ACC20190412001"),
            KnownIdentifiers.BIRTH_DATE, List.of("19620315"),
            KnownIdentifiers.ADDRESS, List.of("27 Kirkton Crescent^Forfar^DD8 3AB"))), Set.of("RP7781"));

    @BeforeAll
    static void load() {
        NameLists lists = NameLists.of(Set.of("John", "Fiona", "Eilidh", "Morag", "Mark"), Set.of("Smith", "MacDonald", "Macrae", "Henderson", "Jones"));
        cleaner = new TextCleaner(TextRules.load(Path.of("config/verify"), lists), RedactList.NONE);
    }

    static String clean(String text, String keyword, String vr) {
        AttributeTag tag = Deidentifier.DICT.getTagFromName(keyword);
        return cleaner.clean(TextCleaner.field(keyword, tag, vr, text), SMITH).text();
    }

    static String clean(String text) { return clean(text, "AdditionalPatientHistory", "LT"); }

    @ParameterizedTest
    @ValueSource(strings = {"CT HEAD W/O CONTRAST", "MR BRAIN T1 AX", "Thorax^01_Routine (Adult)", "ep2d_diff_mddw_20_p2",
            "CHEST PA AND LATERAL", "T2 FLAIR SAG 3D", "RT PLAN 2 FRACTIONS 50 Gy", "Series 3 of 12", "1.5T ANGIO 25/30 mm",
            "Fall at home, ?fracture neck of femur", "2 views of the left wrist", "Known Ca lung, restaging"})
    void clinicalTextIsKept(String text) {
        assertThat(clean(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MR BRAIN 12/04/2019 J SMITH                              | MR BRAIN [date] [name]",
            "Smith, John - CT chest                                   | [name] - CT chest",
            "CT ABDO for Fiona MacDonald                              | CT ABDO for [name]",
            "seen by Eilidh MACRAE today                              | seen by [name] today",
            "MACRAE Eilidh, ?PE                                       | [name], ?PE",
            "Reported 12-Apr-2019 by Dr Jones                         | Reported [date] by [name]",
            "scan on 2019-04-12                                       | scan on [date]",
            "study 20190412 repeat                                    | study [date] repeat",
            "seen 12th April 2019, follow up                          | seen [date], follow up",
            "prev 12.04.19 normal                                     | prev [date] normal",
            "acc ACC20190412001 MR KNEE                               | acc [id] MR KNEE",
            "req RP7781 knee                                          | req [id] knee",
            "DOB 15/03/1962                                           | DOB [date]",
            "dob 15 Mar 1962 ref                                      | dob [date] ref",
            "Fall at home, 27 Kirkton Crescent, Forfar DD8 3AB        | Fall at home, [address]",
            "lives in Forfar, chest pain                              | lives in [address], chest pain",
            "from 14 Burnside Road, Dundee. SOB                       | from [address]. SOB",
            "Flat 2/1, 9 Mill Street, Glasgow G12 8QQ                 | [address]",
            "c/o Mrs Henderson, Ward 5                                | [name], Ward 5",
            "c/o 4 Low Wynd; ward 5                                   | [address]; ward 5",
            "lives EH16 4SA Edinburgh                                 | lives [postcode] Edinburgh",
            "tel 0131 496 0123 ward 5                                 | tel [phone] ward 5",
            "hosp no LH1234567 cough                                  | hosp no [id] cough",
            "email morag.h@example.org re scan                        | email [email] re scan",
            "pid PID 445 566 knee                                     | pid [id] knee",
            "ref pid-445566 knee                                      | ref [id] knee",
            "CT for J. R. Smith                                       | CT for [name]",
            "CT for Smith J.                                          | CT for [name]",
            "CT for JOHN                                              | CT for [name]",
    })
    void identifiersAreReplaced(String in, String out) {
        assertThat(clean(in.trim())).isEqualTo(out.trim());
    }

    @Test
    void chiAndNhsNumbersWithValidCheckDigitAreRemoved() {
        String nine = "150362123";
        String chi = nine + org.haven.identifiers.ChiNumber.mod11CheckDigit(nine);
        assertThat(clean("CHI " + chi + " angio")).isEqualTo("CHI [id] angio");
        assertThat(clean("CHI " + chi.substring(0, 6) + " " + chi.substring(6) + " angio")).isEqualTo("CHI [id] angio");
        assertThat(clean("NHS 943 476 5919 referral")).isEqualTo("NHS [id] referral");
        assertThat(clean("NHS 943 476 5918 referral")).doesNotContain("[id]");
    }

    @Test
    void codesAreNotCleanedButOwnIdentifiersAre() {
        assertThat(clean("XYZ^CT", "CodeMeaning", "LO")).isEqualTo("XYZ^CT");
        assertThat(clean("SN LH1234567", "DeviceSerialNumber", "LO")).isEqualTo("SN LH1234567");
        assertThat(clean("SMITH", "CodeMeaning", "LO")).isEqualTo("[name]");
    }

    @Test
    void everyRemovalNamesItsRule() {
        AttributeTag tag = Deidentifier.DICT.getTagFromName("ImageComments");
        TextCleaner.Cleaned c = cleaner.clean(TextCleaner.field("ImageComments", tag, "LT", "home 27 Kirkton Crescent, tel 0131 496 0123"), TextCleaner.FileIds.NONE);
        assertThat(c.text()).isEqualTo("home [address], tel [phone]");
        assertThat(c.removals()).extracting(TextCleaner.Removal::rule).contains("address", "phone");
        assertThat(c.removals()).allSatisfy(r -> assertThat(r.where()).matches(".*detectors\\.yaml:\\d+"));
    }

    @Test
    void nestedPathsBecomeGatePaths() {
        AttributeTag tag = Deidentifier.DICT.getTagFromName("TextValue");
        var f = TextCleaner.field("ContentSequence[0]/ContentSequence[2]/TextValue", tag, "UT", "x");
        assertThat(f.path()).isEqualTo("ContentSequence[1].ContentSequence[3].TextValue");
        assertThat(f.elements()).extracting(e -> e.name()).containsExactly("ContentSequence", "ContentSequence", "TextValue");
        assertThat(f.elements().get(0).group()).isEqualTo(0x0040);
    }

    @Test
    void redactListIsAppliedValidatedAndReloaded(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("redact.yaml");
        Files.writeString(file, "redact:\n  - id: review-1\n    text: \"Kirkton\"\n    reason: street name\n");
        RedactList list = RedactList.load(file);
        TextCleaner c = new TextCleaner(cleaner.rules(), list);
        AttributeTag tag = Deidentifier.DICT.getTagFromName("ImageComments");
        TextCleaner.Cleaned r = c.clean(TextCleaner.field("ImageComments", tag, "LT", "walks to KIRKTON daily"), TextCleaner.FileIds.NONE);
        assertThat(r.text()).isEqualTo("walks to [redacted] daily");
        assertThat(r.removals()).containsExactly(new TextCleaner.Removal("review-1", "redact.yaml:2"));

        // an edit is picked up; a broken edit is rejected and the old list stays
        Files.writeString(file, "redact:\n  - id: review-1\n    text: \"Kirkton\"\n    reason: street name\n  - id: review-2\n    regex: \"Ward\\\\s+\\\\d+\"\n    reason: ward\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(list.reloadIfChanged()).isTrue();
        assertThat(list.current()).extracting(RedactList.Entry::id).containsExactly("review-1", "review-2");
        Files.writeString(file, "redact:\n  - id: review-3\n    reason: no text\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10000));
        assertThat(list.reloadIfChanged()).isFalse();
        assertThat(list.current()).extracting(RedactList.Entry::id).containsExactly("review-1", "review-2");

        // without an explicit reload: the cleaner's own lookups notice the edit within about two seconds
        Files.writeString(file, "redact:\n  - id: review-4\n    text: \"Forfar\"\n    reason: town\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 20000));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!c.clean(TextCleaner.field("ImageComments", tag, "LT", "moved to Forfar"), TextCleaner.FileIds.NONE).text().equals("moved to [redacted]")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(c.clean(TextCleaner.field("ImageComments", tag, "LT", "moved to Forfar"), TextCleaner.FileIds.NONE).text()).isEqualTo("moved to [redacted]");
        assertThat(list.current()).extracting(RedactList.Entry::id).containsExactly("review-4");
    }

    @Test
    void badRedactFilesNameFileAndLine(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("redact.yaml");
        Files.writeString(file, "redact:\n  - id: a\n    text: Kirkton\n    reason: x\n  - id: a\n    text: Forfar\n    reason: y\n");
        assertThatThrownBy(() -> RedactList.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining("redact.yaml:5").hasMessageContaining("duplicate id");
        Files.writeString(file, "redact:\n  - id: b\n    regex: \"(\"\n    reason: x\n");
        assertThatThrownBy(() -> RedactList.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining("redact.yaml:3").hasMessageContaining("bad regex");
        Files.writeString(file, "redact:\n  - id: c\n    text: K\n    reason: x\n    colour: red\n");
        assertThatThrownBy(() -> RedactList.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining("colour");
        assertThat(RedactList.load(Path.of("config/clean/redact.yaml")).current()).isEmpty();
    }

    @Test
    void nullAndEmpty() {
        assertThat(clean("")).isEmpty();
    }
}

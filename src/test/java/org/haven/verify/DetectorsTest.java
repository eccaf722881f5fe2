package org.haven.verify;

import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.haven.identifiers.ChiNumber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each pattern detector through the shipped rules (config/verify), positive and negative examples. */
class DetectorsTest {
    static Verifier verifier;

    @BeforeAll
    static void load() { verifier = Verifier.load(Path.of("config/verify"), NameLists.EMPTY); }

    static List<Finding> scan(String text) { return verifier.scanText("StudyComments", "LT", text, null).findings(); }

    static List<String> classes(String text) { return scan(text).stream().map(Finding::classification).toList(); }

    // ---- CHI and NHS numbers ----

    @Test
    void chiWithModulus11CheckDigitInTextWithOffsetAndRule() {
        List<Finding> f = scan("CHI 1204850011 seen");
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.classification()).isEqualTo("chi");
            assertThat(x.ruleId()).isEqualTo("chi");
            assertThat(x.attributePath()).isEqualTo("StudyComments");
            assertThat(x.offset()).isEqualTo(4);
            assertThat(x.matchedText()).isEqualTo("1204850011");
        });
    }

    @Test
    void chiSpacedSixFourAndThreeThreeFour() {
        assertThat(scan("chi: 120485 0011")).extracting(Finding::matchedText).containsExactly("120485 0011");
        assertThat(scan("chi: 120-485-0011")).extracting(Finding::matchedText).containsExactly("120-485-0011");
        assertThat(scan("chi: 120 485 0011")).extracting(Finding::classification).containsExactly("chi");
    }

    @Test
    void chiWithLuhnCheckDigitOnly() {
        String nine = "120485002";
        int luhn = ChiNumber.luhnCheckDigit(nine);
        assertThat(luhn).isNotEqualTo(ChiNumber.mod11CheckDigit(nine));
        assertThat(classes("new CHI " + nine + luhn)).containsExactly("chi");
    }

    @Test
    void invalidChiNumbersAreNotChi() {
        String nine = "120485001";
        int wrong = 0;
        while (wrong == ChiNumber.mod11CheckDigit(nine) || wrong == ChiNumber.luhnCheckDigit(nine)) wrong++;
        assertThat(classes("ref " + nine + wrong)).doesNotContain("chi");
        assertThat(classes("ref 3202850011")).doesNotContain("chi");       // 32 Feb
        assertThat(classes("ref 91204850011")).isEmpty();                  // part of a longer digit run
        assertThat(classes("ref 12048500")).isEmpty();                     // too short
    }

    @Test
    void chiInsideUidIsNotScanned() {
        assertThat(verifier.scanText("StudyInstanceUID", "UI", "1.2.826.0.1.1204850011.2", null).findings()).isEmpty();
        assertThat(verifier.scanText("SliceThickness", "DS", "1204850011", null).findings()).isEmpty();
    }

    @Test
    void nhsNumberThatIsNotAChi() {
        assertThat(scan("NHS no 943 476 5919")).singleElement()
                .satisfies(x -> assertThat(x.classification()).isEqualTo("nhs-number"))
                .satisfies(x -> assertThat(x.matchedText()).isEqualTo("943 476 5919"));
        assertThat(classes("NHS no 943 476 5918")).isEmpty();
    }

    @Test
    void labelledHospitalNumber() {
        assertThat(scan("MRN: A1234567 for review")).singleElement()
                .satisfies(x -> assertThat(x.classification()).isEqualTo("hospital-number"))
                .satisfies(x -> assertThat(x.matchedText()).isEqualTo("A1234567"));
        assertThat(classes("Hospital No 12345678")).containsExactly("hospital-number");
        assertThat(classes("Unit count 12345678")).isEmpty();
    }

    // ---- postcodes ----

    @ParameterizedTest
    @ValueSource(strings = {"G12 8QQ", "EH1 1YZ", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "GIR 0AA", "G128QQ", "ab10 1xg", "ZE2 9AW"})
    void postcodes(String pc) {
        assertThat(scan("lives near " + pc + ".")).extracting(Finding::classification, Finding::matchedText)
                .contains(org.assertj.core.groups.Tuple.tuple("postcode", pc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Q1 1AA", "V1 1AA", "X1 1AA", "AI1 1AA", "EH1 1CZ", "EH1 1AK", "G12 8QQ1", "G128qq", "T2 FLAIR", "EH 1AA", "EHH1 1AA"})
    void notPostcodes(String text) {
        assertThat(classes("see " + text + " here")).doesNotContain("postcode");
    }

    // ---- phones ----

    @ParameterizedTest
    @ValueSource(strings = {"0141 211 4000", "01412114000", "(0131) 242 1000", "0131-242-1000", "+44 (0)141 211 4000", "+44 141 211 4000",
            "+447700900123", "07700 900123", "07700 900 123", "020 7946 0958", "0300 123 4567", "0044 131 242 1000", "016977 3456"})
    void phones(String phone) {
        assertThat(scan("call " + phone + " now")).extracting(Finding::classification, Finding::matchedText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("phone", phone));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0141 211", "07700 9001", "1.2.840.10008.5.1.4.1", "0541 211 4000", "+33 1 42 68 53 00", "01412114000123", "kVp 120 mAs 0141"})
    void notPhones(String text) {
        assertThat(classes("x " + text + " y")).doesNotContain("phone");
    }

    // ---- e-mail ----

    @Test
    void email() {
        assertThat(scan("send to jane.doe+rad@nhs.scot please")).extracting(Finding::classification, Finding::matchedText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("email", "jane.doe+rad@nhs.scot"));
        assertThat(classes("T1 @ 3T, 5 mm@2 mm")).isEmpty();
    }

    // ---- dates ----

    @ParameterizedTest
    @ValueSource(strings = {"12/04/2019", "12-04-2019", "12.04.2019", "12/04/19", "2019-04-12", "2019/04/12", "20190412", "12-Apr-2019",
            "12 Apr 2019", "12th April 2019", "12th of April 2019", "April 12 2019", "April 12, 2019", "Apr 12th, 2019", "1 Sept 2019", "12-APR-19"})
    void dates(String date) {
        assertThat(scan("scanned " + date + " ok")).extracting(Finding::classification, Finding::matchedText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("date", date));
    }

    @ParameterizedTest
    @ValueSource(strings = {"31/02/2019", "2019-13-01", "20191332", "version 10.2.19", "12 Apr 19 mg", "1.5 T", "201904121", "April 2019", "T2 May"})
    void notDates(String text) {
        assertThat(classes("x " + text + " y")).doesNotContain("date");
    }

    @Test
    void dateAttributesAreAllowedButDatesInTextAreNot() {
        assertThat(verifier.scanText("StudyDate", "DA", "20190412", null).findings()).isEmpty();
        assertThat(verifier.scanText("AcquisitionDateTime", "DT", "20190412101500", null).findings()).isEmpty();
        assertThat(verifier.scanText("SeriesDescription", "LO", "AX T1 20190412", null).findings()).extracting(Finding::classification).containsExactly("date");
        assertThat(verifier.scanText("SoftwareVersions", "LO", "syngo MR XA30 20220618", null).findings()).isEmpty();
    }

    // ---- clean clinical text ----

    @ParameterizedTest
    @ValueSource(strings = {"CT HEAD W/O CONTRAST", "MR BRAIN T2 FLAIR AX", "CHEST PA", "Topogram 0.6 T20f", "Head 5.0 H31s", "DR CHEST",
            "ep2d_diff_mddw_20_p2", "T1 MPRAGE SAG 1mm", "Abdomen^1_ABD_PANC_PV (Adult)", "Will review with contrast", "May need repeat"})
    void cleanClinicalDescriptionsGiveNoFinding(String description) {
        assertThat(verifier.scanText("SeriesDescription", "LO", description, null).findings()).isEmpty();
        assertThat(verifier.scanText("StudyDescription", "LO", description, null).findings()).isEmpty();
    }
}

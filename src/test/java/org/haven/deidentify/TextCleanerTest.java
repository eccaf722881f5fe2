package org.haven.deidentify;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TextCleanerTest {
    static final TextCleaner.Identifiers SMITH = TextCleaner.Identifiers.of(
            List.of("SMITH^JOHN^R", "MACDONALD^FIONA"), List.of("PID445566", "ACC20190412001"), List.of("19620315"));

    @ParameterizedTest
    @ValueSource(strings = {"CT HEAD W/O CONTRAST", "MR BRAIN T1 AX", "Thorax^01_Routine (Adult)", "ep2d_diff_mddw_20_p2",
            "CHEST PA AND LATERAL", "T2 FLAIR SAG 3D", "RT PLAN 2 FRACTIONS 50 Gy", "Series 3 of 12", "1.5T ANGIO 25/30 mm"})
    void clinicalTextIsKept(String text) {
        assertThat(TextCleaner.clean(text, SMITH)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MR BRAIN 12/04/2019 J SMITH      | MR BRAIN [date] [name]",
            "Smith, John - CT chest           | [name] - CT chest",
            "CT ABDO for Fiona MacDonald      | CT ABDO for [name]",
            "Reported 12-Apr-2019 by Dr Jones | Reported [date] by Dr Jones",
            "scan on 2019-04-12               | scan on [date]",
            "study 20190412 repeat            | study [date] repeat",
            "seen 12th April 2019, follow up  | seen [date], follow up",
            "seen April 12, 2019              | seen [date]",
            "acc ACC20190412001 MR KNEE       | acc [id] MR KNEE",
            "pid445566 knee                   | [id] knee",
            "DOB 15/03/1962                   | DOB [date]",
            "dob 150362 ref                   | dob [id] ref",
            "lives EH16 4SA Edinburgh         | lives [postcode] Edinburgh",
            "from g12 8qq                     | from [postcode]",
            "tel 0131 536 1000 ward 5         | tel [phone] ward 5",
            "call +44 7700 900123             | call [phone]",
    })
    void identifiersAreReplaced(String in, String out) {
        assertThat(TextCleaner.clean(in.trim(), SMITH)).isEqualTo(out.trim());
    }

    @Test
    void chiAndNhsNumbersWithValidCheckDigitAreRemoved() {
        // 150362 12 3 + mod-11 check digit computed by ChiNumber
        String nine = "150362123";
        int check = org.haven.identifiers.ChiNumber.mod11CheckDigit(nine);
        String chi = nine + check;
        assertThat(TextCleaner.clean("CHI " + chi + " angio")).isEqualTo("CHI [id] angio");
        assertThat(TextCleaner.clean("NHS 943 476 5919 referral")).isEqualTo("NHS [id] referral");   // valid NHS test number
        assertThat(TextCleaner.clean("NHS 943 476 5918 referral")).doesNotContain("[id]");             // wrong check digit
    }

    @Test
    void postcodeLetterRulesAreReal() {
        assertThat(TextCleaner.clean("QX1 1AA")).isEqualTo("QX1 1AA");    // Q never first
        assertThat(TextCleaner.clean("EH1 1CI")).isEqualTo("EH1 1CI");    // C and I never in the inward code
        assertThat(TextCleaner.clean("W1A 0AX")).isEqualTo("[postcode]");
        assertThat(TextCleaner.clean("SW1A1AA")).isEqualTo("[postcode]");
    }

    @Test
    void namePartsOnlyMatchWholeWords() {
        TextCleaner.Identifiers ids = TextCleaner.Identifiers.of(List.of("HEAD^ANN"), List.of(), List.of());
        assertThat(TextCleaner.clean("CT OVERHEAD ANNULAR", ids)).isEqualTo("CT OVERHEAD ANNULAR");
    }

    @Test
    void nullAndEmpty() {
        assertThat(TextCleaner.clean(null)).isNull();
        assertThat(TextCleaner.clean("")).isEmpty();
    }

    @Test
    void spacedChiIsRemovedWholeEvenWhenItsBirthDatePartIsAKnownIdentifier() {
        // found by the synthetic recall test: the DDMMYY birth date was replaced first, leaving "[id] 1092"
        String nine = "050972109";
        String chi = nine + org.haven.identifiers.ChiNumber.mod11CheckDigit(nine);
        TextCleaner.Identifiers ids = TextCleaner.Identifiers.of(List.of("WALKER^MICHAEL"), List.of(), List.of("19720905"));
        String cleaned = TextCleaner.clean("known Ca lung, CHI " + chi.substring(0, 6) + " " + chi.substring(6), ids);
        assertThat(cleaned).doesNotContain(chi.substring(6)).doesNotContain(chi.substring(0, 6)).startsWith("known Ca lung");
    }
}

package org.haven.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChiNumberTest {
    @Test
    void acceptsModulus11CheckDigit() {
        // 120485 00 1 ?: weights 10..2 over 1,2,0,4,8,5,0,0,1 → sum 10+18+0+28+48+25+0+0+2 = 131; 131 % 11 = 10; 11-10 = 1
        assertThat(ChiNumber.mod11CheckDigit("120485001")).isEqualTo(1);
        assertThat(ChiNumber.isValid("1204850011")).isTrue();
        assertThat(ChiNumber.sex("1204850011")).isEqualTo('M');
    }

    @Test
    void acceptsLuhnCheckDigitFromFebruary2026() {
        String nine = "120485002";
        int luhn = ChiNumber.luhnCheckDigit(nine);
        int mod11 = ChiNumber.mod11CheckDigit(nine);
        assertThat(luhn).isNotEqualTo(mod11);
        assertThat(ChiNumber.isValid(nine + luhn)).isTrue();
    }

    @Test
    void rejectsBadDateLengthAndCheckDigit() {
        assertThat(ChiNumber.isValid("3202850011")).isFalse(); // 32 Feb
        assertThat(ChiNumber.isValid("120485001")).isFalse();
        assertThat(ChiNumber.isValid("12048500a1")).isFalse();
        int good = ChiNumber.mod11CheckDigit("120485001");
        int luhn = ChiNumber.luhnCheckDigit("120485001");
        for (int d = 0; d <= 9; d++) {
            if (d != good && d != luhn) assertThat(ChiNumber.isValid("120485001" + d)).as("check digit %d", d).isFalse();
        }
    }

    @Test
    void nhsNumberModulus11() {
        assertThat(NhsNumber.isValid("9434765919")).isTrue(); // NHS Digital's published example
        assertThat(NhsNumber.isValid("9434765918")).isFalse();
    }
}

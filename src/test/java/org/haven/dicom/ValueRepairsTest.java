package org.haven.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which messy dates and times are repaired, to what, and which are left for ValueChecks to refuse. */
class ValueRepairsTest {
    @Test
    void times() {
        assertThat(ValueRepairs.time("09:11:02.00000000")).isEqualTo("091102.000000");
        assertThat(ValueRepairs.time("101530.123456789")).isEqualTo("101530.123456");   // 9 fraction digits: microseconds kept
        assertThat(ValueRepairs.time("10:15")).isEqualTo("1015");
        assertThat(ValueRepairs.time("101530.123456")).isNull();                         // already standard
        assertThat(ValueRepairs.time("1015")).isNull();
        assertThat(ValueRepairs.time("NaN")).isNull();                                   // not repairable: ValueChecks decides
    }

    @Test
    void datesAndDateTimes() {
        assertThat(ValueRepairs.date("2019.04.02")).isEqualTo("20190402");
        assertThat(ValueRepairs.date("2019-04-02")).isEqualTo("20190402");
        assertThat(ValueRepairs.date("20190402")).isNull();
        assertThat(ValueRepairs.date("02/04/2019")).isNull();                            // day-first: ambiguous, not guessed
        assertThat(ValueRepairs.dateTime("20190402101530.123456789+0100")).isEqualTo("20190402101530.123456+0100");
        assertThat(ValueRepairs.dateTime("20190402101530.1234")).isNull();
    }
}

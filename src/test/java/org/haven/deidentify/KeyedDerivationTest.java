package org.haven.deidentify;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** UidRemapper, DateShift and DateShifter. */
class KeyedDerivationTest {
    static final byte[] KEY = "k1".getBytes(StandardCharsets.UTF_8);

    @Test
    void uidRemapIsDeterministicValidAndKeyed() {
        String uid = "1.3.12.2.1107.5.2.32.35162.2010012109524582316218374";
        String a = new UidRemapper(KEY, "P1").remap(uid);
        assertThat(new UidRemapper(KEY, "P1").remap(uid)).isEqualTo(a);                 // another node / rerun
        assertThat(new UidRemapper(KEY, "P1").remap(uid + "\0")).isEqualTo(a);          // padding ignored
        assertThat(a).matches("2\\.25\\.(0|[1-9][0-9]*)").hasSizeLessThanOrEqualTo(64);
        assertThat(new UidRemapper(KEY, "P2").remap(uid)).isNotEqualTo(a);              // per project
        assertThat(new UidRemapper("k2".getBytes(StandardCharsets.UTF_8), "P1").remap(uid)).isNotEqualTo(a);
        // the definition: 2.25. + decimal of the first 128 bits of HMAC-SHA256(key, project|uid)
        byte[] h = UidRemapper.hmac(KEY, "P1|" + uid);
        assertThat(a).isEqualTo("2.25." + new java.math.BigInteger(1, java.util.Arrays.copyOf(h, 16)));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String r = new UidRemapper(KEY, "P1").remap("1.2.3." + i);
            assertThat(r).matches("2\\.25\\.[1-9][0-9]*").hasSizeLessThanOrEqualTo(64);
            seen.add(r);
        }
        assertThat(seen).hasSize(2000);
    }

    @Test
    void dateShiftIsInRangeDeterministicAndPerPatient() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int d = DateShift.offsetDays(KEY, "P1", "HVN" + i);
            assertThat(d).isBetween(DateShift.MIN_DAYS, DateShift.MAX_DAYS);
            assertThat(DateShift.offsetDays(KEY, "P1", "HVN" + i)).isEqualTo(d);
            seen.add(d);
        }
        assertThat(seen.size()).isGreaterThan(200);   // spread over the range, not constant
        int p1 = DateShift.offsetDays(KEY, "P1", "HVN1");
        long differentProject = java.util.stream.IntStream.range(0, 20)
                .filter(i -> DateShift.offsetDays(KEY, "P" + (i + 2), "HVN1") != p1).count();
        assertThat(differentProject).isGreaterThan(15);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "DA|20190412|-10|20190402",
            "DA|20190301|-1|20190228",
            "DA|20200301|-1|20200229",
            "DA|2019.04.12|-12|20190331",
            "DA|20190101-20190201|-1|20181231-20190131",
            "DA|-20190201|-1|-20190131",
            "DA|20190412\\20190413|-1|20190411\\20190412",
            "DA|2019|-1|2018",
            "DA|201904|-1|201903",
            "DA|00000000|-1|NULL",
            "DA|not a date|-1|NULL",
            "DT|20190412101530.123456+0100|-365|20180412101530.123456+0100",
            "DT|20190412101530-0500|-1|20190411101530-0500",
            "DT|2019041210|-1|2019041110",
            "DT|2019|-1|2018",
            "DT|20190101-20190201|-1|20181231-20190131",
            "TM|101530.25|-100|101530.25",
            "TM|10:15:30|-100|10:15:30",
            "TM|2561|-1|NULL",
    })
    void datesShiftKeepingPrecision(String vr, String in, int days, String out) {
        assertThat(DateShifter.shift(in, vr, days)).isEqualTo(out);
    }
}

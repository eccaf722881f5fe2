package org.haven.deidentify;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shifts DICOM date values by whole days, keeping precision and intervals.
 * <ul>
 *   <li>DA {@code YYYYMMDD} (and the old {@code YYYY.MM.DD}) → shifted {@code YYYYMMDD}; ranges {@code A-B} (either
 *       end may be missing) shift both ends.</li>
 *   <li>Partial dates ({@code YYYY}, {@code YYYYMM}, allowed in DT): missing parts are taken as 01, shifted, then cut
 *       back to the original precision.</li>
 *   <li>DT {@code YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]}: the date part is shifted; time and UTC offset are kept.</li>
 *   <li>TM: unchanged (the offset is whole days), but must be a valid time.</li>
 * </ul>
 * A value that cannot be parsed returns null: the caller empties it (never leaves an unshifted date behind).
 */
public final class DateShifter {
    private static final Pattern DA = Pattern.compile("(\\d{4})\\.?(\\d{2})?\\.?(\\d{2})?");
    private static final Pattern DT = Pattern.compile("(\\d{4})(\\d{2})?(\\d{2})?(\\d{2}(?:\\d{2}(?:\\d{2}(?:\\.\\d{1,6})?)?)?)?([+-]\\d{4})?");
    private static final Pattern TM = Pattern.compile("\\d{2}(?::?\\d{2}(?::?\\d{2}(?:\\.\\d{1,6})?)?)?");

    private DateShifter() {}

    /** Shifts one value of the given VR (DA, DT or TM; multiple values separated by backslash are handled). */
    public static String shift(String value, String vr, int days) {
        if (value == null) return null;
        String[] parts = value.split("\\\\", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String s = switch (vr) {
                case "DA" -> shiftRange(parts[i].trim(), days, false);
                case "DT" -> shiftRange(parts[i].trim(), days, true);
                case "TM" -> checkTime(parts[i].trim());
                default -> null;
            };
            if (s == null) return null;
            if (i > 0) out.append('\\');
            out.append(s);
        }
        return out.toString();
    }

    private static String checkTime(String v) {
        if (v.isEmpty()) return v;
        int dash = v.indexOf('-');
        if (dash >= 0) {
            String a = checkTime(v.substring(0, dash)), b = checkTime(v.substring(dash + 1));
            return a == null || b == null ? null : a + "-" + b;
        }
        if (!TM.matcher(v).matches()) return null;
        String d = v.replace(":", "");
        int hh = Integer.parseInt(d.substring(0, 2));
        int mm = d.length() >= 4 ? Integer.parseInt(d.substring(2, 4)) : 0;
        int ss = d.length() >= 6 ? Integer.parseInt(d.substring(4, 6)) : 0;
        return hh < 24 && mm < 60 && ss < 61 ? v : null;
    }

    private static String shiftRange(String v, int days, boolean dt) {
        if (v.isEmpty()) return v;
        // a range uses '-', which a DT offset also uses: a DT range has a '-' not followed by exactly 4 digits at the end
        int dash = dt ? rangeDash(v) : v.indexOf('-');
        if (dash >= 0) {
            String a = v.substring(0, dash), b = v.substring(dash + 1);
            String sa = a.isEmpty() ? "" : (dt ? shiftDateTime(a, days) : shiftDate(a, days));
            String sb = b.isEmpty() ? "" : (dt ? shiftDateTime(b, days) : shiftDate(b, days));
            return sa == null || sb == null ? null : sa + "-" + sb;
        }
        return dt ? shiftDateTime(v, days) : shiftDate(v, days);
    }

    private static int rangeDash(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) == '-') {
                // an offset is &ZZXX at the very end after at least YYYY
                boolean offset = i >= 4 && v.length() - i == 5 && v.substring(i + 1).chars().allMatch(Character::isDigit)
                        && DT.matcher(v).matches();
                if (!offset) return i;
            }
        }
        return -1;
    }

    static String shiftDate(String v, int days) {
        Matcher m = DA.matcher(v);
        if (!m.matches()) return null;
        if (m.group(2) == null && m.group(3) != null) return null;
        return shiftParts(m.group(1), m.group(2), m.group(3), days);
    }

    static String shiftDateTime(String v, int days) {
        Matcher m = DT.matcher(v);
        if (!m.matches()) return null;
        String date = shiftParts(m.group(1), m.group(2), m.group(3), days);
        if (date == null) return null;
        return date + (m.group(4) == null ? "" : m.group(4)) + (m.group(5) == null ? "" : m.group(5));
    }

    private static String shiftParts(String y, String mo, String d, int days) {
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(y), mo == null ? 1 : Integer.parseInt(mo), d == null ? 1 : Integer.parseInt(d));
            LocalDate s = date.plusDays(days);
            if (s.getYear() < 0 || s.getYear() > 9999) return null;
            String full = String.format("%04d%02d%02d", s.getYear(), s.getMonthValue(), s.getDayOfMonth());
            int len = 4 + (mo == null ? 0 : 2) + (d == null ? 0 : 2);
            return full.substring(0, len);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }
}

package org.haven.text;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calendar dates in free text: 12/04/2019, 12-04-19, 12.04.2019, 12.04.19 (dots with a two-digit year only as
 * dd.mm.yy, so version numbers such as 10.2.19 do not match), 2019-04-12, 2019/04/12, 20190412 (19xx/20xx), 12-Apr-2019, 12 Apr 2019,
 * 12th April 2019, 12th of April 2019, April 12 2019, April 12th, 2019. Each must be a real date (day/month or
 * month/day). Values of DA, DT and TM attributes are dates by design: the shipped rule excludes those VRs.
 */
final class DateDetector implements Detector {
    private static final String MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![\\p{L}])";
    private static final int I = Pattern.CASE_INSENSITIVE;

    static final Pattern DMY = Pattern.compile("(?<![\\d./\\-])(\\d{1,2})([/.\\-])(\\d{1,2})\\2(\\d{4}|\\d{2})(?!\\d|[./\\-]\\d)");
    static final Pattern YMD = Pattern.compile("(?<![\\d./\\-])((?:19|20)\\d{2})([/.\\-])(\\d{1,2})\\2(\\d{1,2})(?!\\d|[./\\-]\\d)");
    static final Pattern COMPACT = Pattern.compile("(?<![\\d.])((?:19|20)\\d{2})(\\d{2})(\\d{2})(?!\\d)");
    static final Pattern D_MON_Y = Pattern.compile("(?<![\\p{L}\\d])(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s*([\\s\\-/])\\s*" + MONTH
            + "\\.?(?:,?\\s+|[\\-/])(\\d{4}|\\d{2})(?!\\d)", I);
    static final Pattern MON_D_Y = Pattern.compile("(?<![\\p{L}])" + MONTH + "\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)", I);

    @Override public String name() { return "date"; }

    @Override public String classification() { return Classifications.DATE; }

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        Matcher m = DMY.matcher(text);
        while (m.find()) {
            String year = m.group(4);
            // dots with a two-digit year only as dd.mm.yy (12.04.19), so version numbers such as 10.2.19 do not match
            if (m.group(2).equals(".") && year.length() != 4 && (m.group(1).length() != 2 || m.group(3).length() != 2)) continue;
            int a = Integer.parseInt(m.group(1)), b = Integer.parseInt(m.group(3)), y = fullYear(year);
            if (real(y, b, a) || real(y, a, b)) out.add(new Span(m.start(), m.end()));
        }
        m = YMD.matcher(text);
        while (m.find()) {
            if (real(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))) out.add(new Span(m.start(), m.end()));
        }
        m = COMPACT.matcher(text);
        while (m.find()) {
            if (real(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))) out.add(new Span(m.start(), m.end()));
        }
        m = D_MON_Y.matcher(text);
        while (m.find()) {
            String year = m.group(4);
            // "12 Apr 19" is too loose (doses, counts); two-digit years only in the hyphen/slash form 12-Apr-19
            if (year.length() == 2 && m.group(2).isBlank()) continue;
            if (real(fullYear(year), month(m.group(3)), Integer.parseInt(m.group(1)))) out.add(new Span(m.start(), m.end()));
        }
        m = MON_D_Y.matcher(text);
        while (m.find()) {
            if (real(Integer.parseInt(m.group(3)), month(m.group(1)), Integer.parseInt(m.group(2)))) out.add(new Span(m.start(), m.end()));
        }
    }

    private static int fullYear(String y) {
        int v = Integer.parseInt(y);
        return y.length() == 2 ? 2000 + v : v;
    }

    static int month(String name) {
        String m = name.toLowerCase(Locale.ROOT).substring(0, 3);
        return List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").indexOf(m) + 1;
    }

    private static boolean real(int y, int m, int d) {
        if (y < 1850 || y > 2199) return false;
        try {
            LocalDate.of(y, m, d);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}

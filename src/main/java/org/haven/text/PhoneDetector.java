package org.haven.text;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UK telephone numbers: 01, 02, 03, 07 (and 0800/08xx) with 9 or 10 digits after the leading 0, written with spaces,
 * hyphens or the area code in brackets, or in international form +44 (0)… / 0044. Mobiles (07) need 10 digits.
 */
final class PhoneDetector implements Detector {
    private static final Pattern NOT_DIGIT = Pattern.compile("\\D");
    static final Pattern CANDIDATE = Pattern.compile(
            "(?<![\\w+])(?:(?:\\+|00)44[ \\-]?(?:\\(0\\)[ \\-]?)?\\(?|\\(?0)([1-378])(?:[ \\-)]{0,2}\\d){8,9}(?!\\d)");

    @Override public String name() { return "phone"; }

    @Override public String classification() { return Classifications.PHONE; }

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            String g = m.group();
            String digits = NOT_DIGIT.matcher(g).replaceAll("");
            if (digits.startsWith("0044")) digits = digits.substring(4);
            else if (digits.startsWith("44") && g.contains("+")) digits = digits.substring(2);
            if (digits.startsWith("0")) digits = digits.substring(1);
            int n = digits.length();
            if (n != 9 && n != 10) continue;
            if (digits.charAt(0) == '7' && n != 10) continue;
            // a bracket must close what it opened
            long open = g.chars().filter(c -> c == '(').count(), close = g.chars().filter(c -> c == ')').count();
            if (open != close) continue;
            out.add(new Span(m.start(), m.end()));
        }
    }
}

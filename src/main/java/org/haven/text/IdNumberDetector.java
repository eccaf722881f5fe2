package org.haven.text;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.haven.identifiers.ChiNumber;
import org.haven.identifiers.NhsNumber;

/**
 * Ten-digit health numbers in text: written as 10 digits, 6+4 or 3-3-4 (space or hyphen), not part of a longer digit
 * run. {@code chi}: a real DDMMYY date and a modulus-11 or Luhn check digit ({@link ChiNumber#isValid});
 * {@code nhs-number}: modulus 11 ({@link NhsNumber#isValid}). A number valid as both is reported once, as CHI
 * (overlapping findings keep the more serious classification).
 */
final class IdNumberDetector implements Detector {
    private static final Pattern SEPARATOR = Pattern.compile("[ \\-]");
    static final Pattern CANDIDATE = Pattern.compile("(?<!\\d)(?:\\d{10}|\\d{6}[ \\-]\\d{4}|\\d{3}[ \\-]\\d{3}[ \\-]\\d{4})(?!\\d)");

    private final String name;
    private final String classification;
    private final Predicate<String> valid;

    private IdNumberDetector(String name, String classification, Predicate<String> valid) {
        this.name = name;
        this.classification = classification;
        this.valid = valid;
    }

    static IdNumberDetector chi() { return new IdNumberDetector("chi", Classifications.CHI, ChiNumber::isValid); }

    static IdNumberDetector nhs() { return new IdNumberDetector("nhs-number", Classifications.NHS_NUMBER, NhsNumber::isValid); }

    @Override public String name() { return name; }

    @Override public String classification() { return classification; }

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            String digits = SEPARATOR.matcher(m.group()).replaceAll("");
            if (valid.test(digits)) out.add(new Span(m.start(), m.end()));
        }
    }
}

package org.haven.deidentify;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.haven.identifiers.ChiNumber;
import org.haven.identifiers.NhsNumber;

/**
 * Scrubs identifiers out of free text (descriptions, protocol names, comments) and keeps the clinical words.
 * Each removed span becomes a typed placeholder so the text stays readable: {@code [name]}, {@code [id]},
 * {@code [date]}, {@code [postcode]}, {@code [phone]}; adjacent identical placeholders collapse into one.
 *
 * <p>Removed: this file's own identifiers ({@link Identifiers}: patient and staff name parts with adjacent
 * initials, patient IDs, accession number, birth date in several spellings), CHI numbers and NHS numbers (check
 * digit verified), dates in common formats, UK postcodes (real letter rules, with or without the space), UK phone
 * numbers. Example: {@code "MR BRAIN 12/04/2019 J SMITH"} → {@code "MR BRAIN [date] [name]"};
 * {@code "CT HEAD W/O CONTRAST"} is unchanged.
 */
public final class TextCleaner {
    public static final String NAME = "[name]", ID = "[id]", DATE = "[date]", POSTCODE = "[postcode]", PHONE = "[phone]";

    /** Identifiers of one file, gathered before the file is modified. */
    public record Identifiers(Set<String> nameParts, Set<String> ids, Set<String> birthDates) {
        public Identifiers {
            nameParts = Set.copyOf(nameParts);
            ids = Set.copyOf(ids);
            birthDates = Set.copyOf(birthDates);
        }

        public static final Identifiers NONE = new Identifiers(Set.of(), Set.of(), Set.of());

        /**
         * Builds from raw values: person names in DICOM PN form ({@code FAMILY^GIVEN^MIDDLE}) or plain, IDs, and
         * birth dates as DICOM DA ({@code YYYYMMDD}); birth dates are expanded into the spellings seen in free text.
         */
        public static Identifiers of(Collection<String> personNames, Collection<String> idValues, Collection<String> birthDatesDA) {
            Set<String> parts = new LinkedHashSet<>();
            for (String pn : personNames) {
                if (pn == null) continue;
                for (String p : pn.split("[\\^=\\s,]+")) {
                    String t = p.trim().replaceAll("^[.'-]+|[.'-]+$", "");
                    if (t.length() >= 2) parts.add(t);
                }
            }
            Set<String> ids = new LinkedHashSet<>();
            for (String id : idValues) {
                if (id == null) continue;
                String t = id.trim();
                if (t.length() >= 3) ids.add(t);
            }
            Set<String> dates = new LinkedHashSet<>();
            for (String da : birthDatesDA) {
                if (da == null || !da.trim().matches("\\d{8}")) continue;
                String d = da.trim();
                String yyyy = d.substring(0, 4), yy = d.substring(2, 4), mm = d.substring(4, 6), dd = d.substring(6, 8);
                dates.add(d);
                dates.add(dd + mm + yyyy);
                dates.add(dd + mm + yy);
                dates.add(yy + mm + dd);
            }
            return new Identifiers(parts, ids, dates);
        }
    }

    private static final String MONTHS = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    private static final Pattern DATES = Pattern.compile(
            "(?<![\\w/.-])(?:"
                    + "\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})"                       // 12/04/2019, 12.04.19
                    + "|\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}"                                // 2019-04-12
                    + "|\\d{1,2}(?:st|nd|rd|th)?[\\s.-]*(?:of\\s+)?" + MONTHS + "\\.?[\\s,.-]*(?:\\d{4}|'?\\d{2})(?!\\d)" // 12th April 2019, 12-Apr-2019, 12APR2019
                    + "|" + MONTHS + "\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}"      // April 12, 2019
                    + "|" + MONTHS + "\\.?\\s+\\d{4}"                                    // April 2019
                    + ")(?![\\w/])",
            Pattern.CASE_INSENSITIVE);
    /** YYYYMMDD / DDMMYYYY as one number: removed only when it is a real date (checked in code). */
    private static final Pattern COMPACT_DATE = Pattern.compile("(?<!\\d)\\d{8}(?!\\d)");
    /** Ten digits, optionally grouped 3-3-4 or 6-4 (NHS/CHI): removed when a check digit validates. */
    private static final Pattern TEN_DIGITS = Pattern.compile("(?<![\\d-])(\\d{3}[\\s-]?\\d{3}[\\s-]?\\d{4}|\\d{6}[\\s-]?\\d{4})(?![\\d-])");
    /** UK postcodes with the real letter rules (PAF), in free text, any case, optional space. */
    private static final Pattern POSTCODES = Pattern.compile(
            "(?<![A-Za-z0-9])(?:GIR\\s?0AA|(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])\\s?[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
            Pattern.CASE_INSENSITIVE);
    /** UK phone numbers: 0 or +44 then 9–10 more digits, spaces/dashes/brackets allowed between. */
    private static final Pattern PHONES = Pattern.compile(
            "(?<![\\w+])(?:\\+44\\s?\\(?0?\\)?\\s?|\\(?0)\\d(?:[\\s-]?\\)?\\s?\\d){8,9}(?![\\w])");

    private TextCleaner() {}

    /** Cleans text with no file-specific identifiers (generic patterns only). */
    public static String clean(String text) { return clean(text, Identifiers.NONE); }

    public static String clean(String text, Identifiers ids) {
        if (text == null || text.isEmpty()) return text;
        String s = text;
        // 1. numbers with a check digit (CHI, NHS), whole and however grouped, before anything can take a part of
        //    them (a birth date in DDMMYY form is the first half of a CHI number)
        s = replace(s, TEN_DIGITS, m -> {
            String digits = m.group().replaceAll("\\D", "");
            return ChiNumber.isValid(digits) || NhsNumber.isValid(digits) ? ID : null;
        });
        // 2. this file's own identifiers, longest first (so "SMITH JONES" goes before "SMITH")
        List<String> idList = new ArrayList<>(ids.ids());
        idList.addAll(ids.birthDates());
        idList.sort(Comparator.comparingInt(String::length).reversed());
        for (String id : idList) {
            if (!containsIgnoreCase(s, id)) continue; // the usual case: only compile a pattern for a value that is there
            s = Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(id) + "(?![A-Za-z0-9])", Pattern.CASE_INSENSITIVE).matcher(s).replaceAll(ID);
        }
        // 3. dates
        s = DATES.matcher(s).replaceAll(DATE);
        s = replace(s, COMPACT_DATE, m -> isCompactDate(m.group()) ? DATE : null);
        // 4. postcodes and phone numbers
        s = POSTCODES.matcher(s).replaceAll(POSTCODE);
        s = PHONES.matcher(s).replaceAll(PHONE);
        // 5. names (with adjacent initials: "J SMITH", "SMITH J", "J. R. SMITH")
        List<String> names = new ArrayList<>(ids.nameParts());
        names.sort(Comparator.comparingInt(String::length).reversed());
        for (String n : names) {
            if (!containsIgnoreCase(s, n)) continue;
            Pattern p = Pattern.compile("(?<![A-Za-z0-9])(?:[A-Za-z]\\.?\\s+)*" + Pattern.quote(n) + "(?:,?\\s+[A-Za-z]\\.?(?![A-Za-z0-9]))*(?![A-Za-z0-9])",
                    Pattern.CASE_INSENSITIVE);
            s = p.matcher(s).replaceAll(Matcher.quoteReplacement(NAME));
        }
        return tidy(s);
    }

    static boolean containsIgnoreCase(String text, String part) {
        return text.toLowerCase(java.util.Locale.ROOT).contains(part.toLowerCase(java.util.Locale.ROOT));
    }

    private interface Replacer { String apply(Matcher m); }

    private static String replace(String s, Pattern p, Replacer r) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String rep = r.apply(m);
            m.appendReplacement(out, Matcher.quoteReplacement(rep == null ? m.group() : rep));
        }
        m.appendTail(out);
        return out.toString();
    }

    static boolean isCompactDate(String d) {
        return validDate(d.substring(0, 4), d.substring(4, 6), d.substring(6, 8))     // YYYYMMDD
                || validDate(d.substring(4, 8), d.substring(2, 4), d.substring(0, 2)); // DDMMYYYY
    }

    private static boolean validDate(String y, String m, String d) {
        try {
            int year = Integer.parseInt(y);
            if (year < 1880 || year > 2100) return false;
            LocalDate.of(year, Integer.parseInt(m), Integer.parseInt(d));
            return true;
        } catch (DateTimeException | NumberFormatException e) {
            return false;
        }
    }

    /** Collapses repeated placeholders ("[name] [name]" → "[name]") and whitespace. */
    private static String tidy(String s) {
        String prev;
        do {
            prev = s;
            s = s.replaceAll("(\\[(?:name|id|date|postcode|phone)\\])(?:[\\s,^]*\\1)+", "$1");
        } while (!s.equals(prev));
        return s.replaceAll("[ \\t]{2,}", " ").trim();
    }

    static String lower(String s) { return s.toLowerCase(Locale.ROOT); }
}

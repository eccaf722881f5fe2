package org.haven.text;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UK street addresses in free text, without needing the file's own address:
 * <ul>
 *   <li>a house number (27, 27A, 14-16, Glasgow flat positions 2/1, optionally after "Flat 3,") then one to three
 *       capitalised words and a street-type word: "27 Kirkton Crescent", "FLAT 2/1, 14 BURNSIDE RD"; weak street types
 *       that are also clinical words (View, Park, Court, Way, Hill…) only when a town or postcode follows;</li>
 *   <li>after such a street: the town (one or two capitalised words after a comma) and a full or partial postcode
 *       ("…, Forfar DD8 3AB", "…, Forfar DD8");</li>
 *   <li>"Flat 2/1", "flat 3" on its own; "c/o" and the words after it up to punctuation.</li>
 * </ul>
 * Postcodes on their own are the postcode detector's.
 */
final class AddressDetector implements Detector {
    private static final String STRONG = "street|st|road|rd|avenue|ave|crescent|cres|drive|dr|lane|ln|place|pl|terrace|terr|ter|gardens|gdns"
            + "|close|square|sq|grove|wynd|brae|loan|mews|quadrant|parade|boulevard|circus|vennel|pend|neuk|loaning|gait|row|walk";
    private static final String WEAK = "view|park|court|ct|way|gate|green|hill|vale|rise|grange|bank|path|end|side|field|mount|heights|hall";
    private static final String WORD = "[A-Z][\\p{L}'’\\-]*";
    private static final String HOUSE = "(?:(?i:flat|apartment|apt|unit)\\.?\\s*\\d{1,3}(?:/\\d{1,2})?[A-Za-z]?\\s*,?\\s*)?"
            + "\\d{1,4}[A-Za-z]?(?:\\s*[/\\-]\\s*\\d{1,4}[A-Za-z]?)?,?\\s+";
    private static final String OUTWARD = "(?:[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-Z]?)";
    private static final String POSTCODE = "(?:" + OUTWARD + "(?:\\s?[0-9][ABD-HJLNP-UW-Z]{2})?)";
    private static final String TOWN = "(?:,?\\s*" + WORD + "(?:\\s+" + WORD + ")?)";
    static final Pattern STREET = Pattern.compile("(?<![\\p{L}\\p{N}/])" + HOUSE + "(?:" + WORD + "\\s+){1,3}"
            + "(?:(?i:" + STRONG + ")\\b\\.?(?<tail>" + TOWN + "?(?:[\\s,]+" + POSTCODE + ")?(?![\\p{L}\\p{N}]))"
            + "|(?i:" + WEAK + ")\\b\\.?(?<weaktail>,\\s*" + WORD + "(?:\\s+" + WORD + ")?(?:[\\s,]+" + POSTCODE + ")?|[\\s,]+" + POSTCODE + ")(?![\\p{L}\\p{N}]))");
    static final Pattern FLAT = Pattern.compile("(?<![\\p{L}\\p{N}])(?i:flat)\\s*(?:no\\.?\\s*)?\\d{1,3}(?:\\s*/\\s*\\d{1,2})?[A-Za-z]?(?![\\p{L}\\p{N}/])");
    static final Pattern CARE_OF = Pattern.compile("(?<![\\p{L}\\p{N}])(?i:c/o|care of)\\s+[^,;.()\\n]{2,60}");

    @Override public String name() { return "address"; }

    @Override public String classification() { return Classifications.ADDRESS; }

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        if (text.indexOf(' ') < 0) return;
        Matcher m = STREET.matcher(text);
        while (m.find()) out.add(new Span(m.start(), trimEnd(text, m.end())));
        m = FLAT.matcher(text);
        while (m.find()) out.add(new Span(m.start(), m.end()));
        m = CARE_OF.matcher(text);
        while (m.find()) out.add(new Span(m.start(), trimEnd(text, m.end())));
    }

    private static int trimEnd(String text, int end) {
        while (end > 0 && (Character.isWhitespace(text.charAt(end - 1)) || text.charAt(end - 1) == ',')) end--;
        return end;
    }
}

package org.haven.text;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UK postcodes in free text, with the real letter rules (BS 7666): the first letter is never Q, V or X; the second
 * never I, J or Z; the letter of A9A outward codes is one of ABCDEFGHJKPSTUW and of AA9A one of ABEHMNPRVWXY; the
 * inward code is a digit and two letters, never C, I, K, M, O or V. Upper case may omit the space ("G128QQ"); mixed
 * or lower case needs it ("g12 8qq"), which keeps words and codes from matching. GIR 0AA is accepted.
 */
final class PostcodeDetector implements Detector {
    private static final String OUTWARD =
            "(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])";
    private static final String INWARD = "[0-9][ABD-HJLNP-UW-Z]{2}";
    static final Pattern UPPER = Pattern.compile("(?<![\\p{L}\\p{N}])(?:GIR ?0AA|" + OUTWARD + " ?" + INWARD + ")(?![\\p{L}\\p{N}])");
    static final Pattern ANY_CASE = Pattern.compile("(?<![\\p{L}\\p{N}])(?:GIR 0AA|" + OUTWARD + " " + INWARD + ")(?![\\p{L}\\p{N}])",
            Pattern.CASE_INSENSITIVE);

    @Override public String name() { return "postcode"; }

    @Override public String classification() { return Classifications.POSTCODE; }

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        Matcher m = UPPER.matcher(text);
        while (m.find()) out.add(new Span(m.start(), m.end()));
        m = ANY_CASE.matcher(text);
        while (m.find()) {
            Span s = new Span(m.start(), m.end());
            if (!out.contains(s)) out.add(s);
        }
    }
}

package org.haven.text;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E-mail addresses. */
final class EmailDetector implements Detector {
    static final Pattern EMAIL = Pattern.compile("(?<![\\w.%+-])[\\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}(?![\\w-])");

    @Override public String name() { return "email"; }

    @Override public String classification() { return Classifications.EMAIL; }

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        Matcher m = EMAIL.matcher(text);
        while (m.find()) out.add(new Span(m.start(), m.end()));
    }
}

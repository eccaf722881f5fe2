package org.haven.text;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A rule's own regular expression; when it has a group named {@code match}, that group is the finding. */
final class RegexDetector implements Detector {
    private final Pattern pattern;
    private final String classification;
    private final boolean hasMatchGroup;

    RegexDetector(Pattern pattern, String classification) {
        this.pattern = pattern;
        this.classification = classification;
        this.hasMatchGroup = pattern.pattern().contains("(?<match>");
    }

    @Override public String name() { return "regex"; }

    @Override public String classification() { return classification; }

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (m.end() == m.start()) continue;
            if (hasMatchGroup) {
                if (m.start("match") >= 0 && m.end("match") > m.start("match")) out.add(new Span(m.start("match"), m.end("match")));
            } else {
                out.add(new Span(m.start(), m.end()));
            }
        }
    }
}

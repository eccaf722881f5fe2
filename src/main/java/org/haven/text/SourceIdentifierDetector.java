package org.haven.text;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Survival of the source file's own identifiers ({@link KnownIdentifiers}), optionally limited to some kinds
 * (rule key {@code known:}). In an audit without a source, the identifier attributes the values came from are skipped.
 */
final class SourceIdentifierDetector implements Detector {
    private final Set<String> kinds; // empty = all

    SourceIdentifierDetector(Set<String> kinds) { this.kinds = Set.copyOf(kinds); }

    @Override public String name() { return "source-identifier"; }

    @Override public String classification() { return Classifications.SOURCE_IDENTIFIER; }

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        if (ctx.known() == null || ctx.known().isSelfSource(ctx.field().path())) return;
        // Cheap pre-filter: in ASCII text, a value whose first word is not a substring cannot match.
        // IDs match with separators anywhere between their characters: compare without them (a necessary condition).
        String lower = ascii(text) ? text.toLowerCase(java.util.Locale.ROOT) : null;
        String bare = null;
        for (KnownIdentifiers.KnownValue v : ctx.known().values(kinds)) {
            if (lower != null && v.needle() != null && !lower.contains(v.needle())) continue;
            if (lower != null && v.bare() != null) {
                if (bare == null) bare = KnownIdentifiers.withoutSeparators(lower);
                if (!bare.contains(v.bare())) continue;
            }
            if (v.sourcePath() != null && v.sourcePath().equals(ctx.field().path())) continue;
            Matcher m = v.pattern().matcher(text);
            while (m.find()) out.add(new Span(m.start(), m.end(), v.kind()));
        }
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0x7f) return false;
        return true;
    }
}

package org.haven.deidentify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code (gggg,eeee)} with hex digits, where any digit may be {@code x} (wildcard), e.g. {@code (60xx,3000)}. */
record TagPattern(int value, int mask, String text) {
    private static final Pattern SYNTAX = Pattern.compile("\\(\\s*([0-9A-Fa-fXx]{4})\\s*,\\s*([0-9A-Fa-fXx]{4})\\s*\\)");

    static boolean looksLikeTag(String s) { return s.trim().startsWith("("); }

    /** Parses, or returns null if the syntax is wrong. */
    static TagPattern parse(String s) {
        Matcher m = SYNTAX.matcher(s.trim());
        if (!m.matches()) return null;
        String hex = m.group(1) + m.group(2);
        int value = 0, mask = 0;
        for (char c : hex.toCharArray()) {
            value <<= 4;
            mask <<= 4;
            if (c != 'x' && c != 'X') {
                value |= Character.digit(c, 16);
                mask |= 0xF;
            }
        }
        return new TagPattern(value, mask, s.trim());
    }

    boolean isExact() { return mask == 0xFFFFFFFF; }

    boolean matches(int tag) { return (tag & mask) == value; }

    static int key(int group, int element) { return (group << 16) | (element & 0xFFFF); }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** "(GGGG,EEEE)"; called for every attribute of every file, so no String.format. */
    static String format(int group, int element) {
        char[] c = {'(', 0, 0, 0, 0, ',', 0, 0, 0, 0, ')'};
        for (int i = 0; i < 4; i++) {
            c[4 - i] = HEX[(group >> (4 * i)) & 0xF];
            c[9 - i] = HEX[(element >> (4 * i)) & 0xF];
        }
        return new String(c);
    }
}

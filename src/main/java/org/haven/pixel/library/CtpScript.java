package org.haven.pixel.library;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads RSNA CTP's DicomPixelAnonymizer.script: headings, then signatures {@code { Attr.method("text") * … }}
 * ({@code *} and, {@code +} or, {@code !} not, parentheses) each followed by rectangles {@code (x,y,w,h)}.
 * CTP uses the first signature that matches, like Haven, so file order is kept.
 */
final class CtpScript {

    static final Pattern RECTANGLE = Pattern.compile("\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    private CtpScript() {}

    static List<LibraryEntry> parse(String text) {
        List<LibraryEntry> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        String section = "", maker = "", description = "";
        boolean inSection = false, started = false;
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            String t = line.trim();
            if (t.startsWith("*")) { // ***** SECTION ***** (the name sits between two star lines)
                inSection = !inSection;
                started = true;
                i++;
                continue;
            }
            if (!started || t.isEmpty()) {
                i++;
                continue;
            }
            if (inSection) {
                section = t;
                maker = "";
                description = "";
                i++;
                continue;
            }
            if (t.startsWith("{")) {
                int start = i + 1;
                StringBuilder cond = new StringBuilder();
                int depth = 0;
                String rest = "";
                outer:
                while (i < lines.length) {
                    String l = lines[i++];
                    for (int k = 0; k < l.length(); k++) {
                        char c = l.charAt(k);
                        if (c == '{') depth++;
                        else if (c == '}' && --depth == 0) {
                            cond.append(l, 0, k + 1);
                            rest = l.substring(k + 1);
                            break outer;
                        }
                    }
                    cond.append(l).append(' ');
                }
                String original = cond.toString().trim().replaceAll("\\s+", " ");
                String body = original.substring(original.indexOf('{') + 1, original.lastIndexOf('}')).trim();
                // Rectangles follow on the same line or the next ones, up to anything else.
                List<int[]> boxes = new ArrayList<>();
                boxes.addAll(rectangles(rest));
                while (i < lines.length) {
                    String r = lines[i].trim();
                    if (r.isEmpty()) {
                        if (!boxes.isEmpty()) break;
                        i++;
                        continue;
                    }
                    if (!RECTANGLE.matcher(r).lookingAt()) break;
                    boxes.addAll(rectangles(r));
                    i++;
                }
                String label = String.join(" / ", nonEmpty(section, maker, description));
                out.add(entry(start, label, original, body, boxes));
                continue;
            }
            // A heading: unindented lines name the maker, indented ones the kind of image.
            if (Character.isWhitespace(line.charAt(0))) description = t;
            else {
                maker = t;
                description = "";
            }
            i++;
        }
        return out;
    }

    private static LibraryEntry entry(int line, String label, String original, String body, List<int[]> boxes) {
        if (boxes.isEmpty()) return LibraryEntry.skipped(line, label, original, "no rectangles follow the signature");
        List<String> notes = new ArrayList<>();
        try {
            Condition c = new Parser(body, notes).parse();
            return new LibraryEntry(line, label, original, c, boxes, false, null, notes);
        } catch (IllegalArgumentException e) {
            return LibraryEntry.skipped(line, label, original, e.getMessage());
        }
    }

    private static List<int[]> rectangles(String s) {
        List<int[]> out = new ArrayList<>();
        Matcher m = RECTANGLE.matcher(s);
        while (m.find()) {
            out.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))});
        }
        return out;
    }

    private static List<String> nonEmpty(String... parts) {
        List<String> out = new ArrayList<>();
        for (String p : parts) if (!p.isBlank()) out.add(p.trim());
        return out;
    }

    /** Recursive descent: or := and ('+' and)*; and := unary ('*' unary)*; unary := '!' unary | '(' or ')' | test. */
    private static final class Parser {
        private static final Pattern TEST = Pattern.compile(
                "(\\[[0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\\]|[A-Za-z][A-Za-z0-9]*)\\s*\\.\\s*([A-Za-z]+)\\s*\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)");
        private final String s;
        private final List<String> notes;
        private int pos;

        Parser(String s, List<String> notes) {
            this.s = s;
            this.notes = notes;
        }

        Condition parse() {
            Condition c = or();
            skip();
            if (pos != s.length()) throw new IllegalArgumentException("cannot read the signature from \"" + s.substring(pos) + "\"");
            return c;
        }

        private Condition or() {
            List<Condition> parts = new ArrayList<>(List.of(and()));
            while (peek('+')) {
                pos++;
                parts.add(and());
            }
            return Condition.or(parts);
        }

        private Condition and() {
            List<Condition> parts = new ArrayList<>(List.of(unary()));
            while (peek('*')) {
                pos++;
                parts.add(unary());
            }
            return Condition.and(parts);
        }

        private Condition unary() {
            if (peek('!')) {
                pos++;
                return new Condition.Not(unary());
            }
            if (peek('(')) {
                pos++;
                Condition c = or();
                if (!peek(')')) throw new IllegalArgumentException("unbalanced parentheses in the signature");
                pos++;
                return c;
            }
            skip();
            Matcher m = TEST.matcher(s).region(pos, s.length());
            if (!m.lookingAt()) throw new IllegalArgumentException("cannot read the signature from \"" + s.substring(pos) + "\"");
            pos = m.end();
            return test(m.group(1), m.group(2), m.group(3).replace("\\\"", "\""));
        }

        private Condition test(String attribute, String method, String value) {
            String attr = Attributes.name(attribute.startsWith("[") ? "(" + attribute.substring(1, attribute.length() - 1) + ")" : attribute);
            String m = method.toLowerCase(Locale.ROOT);
            boolean ignoreCase = m.endsWith("ignorecase");
            String base = ignoreCase ? m.substring(0, m.length() - "ignorecase".length()) : m;
            String op = switch (base) {
                case "equals" -> "equals";
                case "contains" -> "includes";
                case "startswith" -> "starts-with";
                case "endswith" -> "ends-with";
                case "matches" -> "regex";
                default -> throw new IllegalArgumentException("CTP method '" + method + "' has no Haven equivalent");
            };
            if (!ignoreCase && !op.equals("regex") && !op.equals("equals") && value.chars().anyMatch(Character::isLetter)) {
                notes.add(attribute + "." + method + ": case-sensitive in CTP, case-insensitive here (matches more images)");
            }
            return new Condition.Test(attr, op, value);
        }

        private boolean peek(char c) {
            skip();
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }
    }
}

package org.haven.pixel.library;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes translated library entries as a Haven pixel rule file ({@code config/pixels/*.yaml}): one rule per
 * signature, each with {@code source:} (library, file, line, label, the original condition text), {@code risk: high}
 * (the libraries list images known to carry burned-in text, so OCR always checks the result), and the skipped
 * entries as comments at the end, so the file says what it does not cover. Output depends only on the input:
 * re-importing the same library gives the same bytes.
 */
final class RuleWriter {

    private RuleWriter() {}

    static String write(List<LibraryEntry> entries, String idPrefix, String library, String fileName, List<String> header, boolean atRiskOnly) {
        StringBuilder y = new StringBuilder();
        for (String h : header) y.append("# ").append(h).append('\n');
        y.append("rules:\n");
        Set<String> ids = new HashSet<>();
        List<LibraryEntry> skipped = new ArrayList<>();
        for (LibraryEntry e : entries) {
            if (e.skipped() != null) {
                skipped.add(e);
                continue;
            }
            List<String> boxes = boxes(e);
            if (boxes.isEmpty() && !e.keepUltrasoundRegions()) {
                skipped.add(LibraryEntry.skipped(e.line(), e.label(), e.original(), "its rectangles lie outside the Rows/Columns it names"));
                continue;
            }
            String id = idPrefix + "-" + e.line() + slug(e.label());
            if (!ids.add(id)) id = id + "-" + ids.size();
            y.append("  - id: ").append(id).append('\n');
            y.append("    description: ").append(quote(e.label().isBlank() ? "(no label)" : e.label())).append('\n');
            y.append("    source:\n");
            y.append("      library: ").append(quote(library)).append('\n');
            y.append("      file: ").append(quote(fileName)).append('\n');
            y.append("      line: ").append(e.line()).append('\n');
            y.append("      condition: ").append(quote(e.original())).append('\n');
            if (!e.notes().isEmpty()) y.append("      note: ").append(quote(String.join("; ", e.notes()))).append('\n');
            y.append("    risk: high\n");
            y.append("    when:\n");
            if (atRiskOnly) y.append("      at-risk: true\n");
            whenMap(y, e.condition(), 6);
            if (!boxes.isEmpty()) {
                y.append("    blank:\n");
                for (String b : boxes) y.append("      - ").append(b).append('\n');
            }
            if (e.keepUltrasoundRegions()) y.append("    keep: ultrasound-regions\n");
        }
        if (!skipped.isEmpty()) {
            y.append("\n# Not translated (").append(skipped.size()).append("):\n");
            for (LibraryEntry e : skipped) {
                y.append("#   line ").append(e.line()).append(" ").append(e.label().isBlank() ? "" : "\"" + e.label() + "\" ")
                        .append(": ").append(e.skipped()).append('\n');
            }
        }
        return y.toString();
    }

    /** The rectangles as YAML, clipped to the Rows/Columns the signature requires (Haven checks that bound at load). */
    private static List<String> boxes(LibraryEntry e) {
        Integer rows = dimension(e.condition(), "Rows"), columns = dimension(e.condition(), "Columns");
        List<String> out = new ArrayList<>();
        for (int[] b : e.boxes()) {
            int w = columns == null ? b[2] : Math.min(b[2], columns - b[0]);
            int h = rows == null ? b[3] : Math.min(b[3], rows - b[1]);
            if (w <= 0 || h <= 0) continue; // wholly outside the image the signature names
            String box = "{x: " + b[0] + ", y: " + b[1] + ", width: " + w + ", height: " + h + "}";
            if (w != b[2] || h != b[3]) box += "   # clipped to the signature's Columns x Rows; the library says " + b[2] + "x" + b[3];
            out.add(box);
        }
        return out;
    }

    /** Rows/Columns when the signature requires them at the top level (they bound the rectangles). */
    static Integer dimension(Condition c, String attribute) {
        List<Condition> top = c instanceof Condition.And a ? a.parts() : List.of(c);
        for (Condition p : top) {
            if (p instanceof Condition.Test t && t.attribute().equals(attribute) && t.op().equals("equals")) {
                try {
                    return Integer.parseInt(t.value().trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** A condition as the entries of a {@code when} map: tests by attribute, ors under any, repeats under all. */
    private static void whenMap(StringBuilder y, Condition c, int indent) {
        List<Condition> parts = c instanceof Condition.And a ? a.parts() : List.of(c);
        Map<String, Condition> keyed = new LinkedHashMap<>();
        List<Condition> overflow = new ArrayList<>();
        for (Condition p : parts) {
            String key = p instanceof Condition.Test t ? t.attribute()
                    : p instanceof Condition.Or ? "any" : p instanceof Condition.Not ? "not" : "all";
            if (keyed.containsKey(key)) overflow.add(p);
            else keyed.put(key, p);
        }
        if (!overflow.isEmpty()) {
            if (keyed.containsKey("all")) overflow.add(0, keyed.remove("all"));
            keyed.put("all", new Condition.And(overflow));
        }
        String pad = " ".repeat(indent);
        for (Map.Entry<String, Condition> e : keyed.entrySet()) {
            String key = e.getKey().startsWith("(") ? quote(e.getKey()) : e.getKey();
            Condition v = e.getValue();
            if (v instanceof Condition.Test t) {
                y.append(pad).append(key).append(": ").append(value(t)).append('\n');
            } else if (v instanceof Condition.Not n) {
                y.append(pad).append("not:\n");
                whenMap(y, n.inner(), indent + 2);
            } else if (v instanceof Condition.Or o) {
                list(y, pad + "any:", o.parts(), indent);
            } else {
                list(y, pad + "all:", ((Condition.And) v).parts(), indent);
            }
        }
    }

    private static void list(StringBuilder y, String head, List<Condition> items, int indent) {
        y.append(head).append('\n');
        for (Condition item : items) {
            StringBuilder sub = new StringBuilder();
            whenMap(sub, item, indent + 4);
            // "- " takes the place of the first entry's indentation
            String s = sub.toString();
            y.append(" ".repeat(indent + 2)).append("- ").append(s.substring(indent + 4));
        }
    }

    private static String value(Condition.Test t) {
        return switch (t.op()) {
            case "equals" -> quote(t.value());
            case "present" -> "{present: " + t.value() + "}";
            default -> "{" + t.op() + ": " + quote(t.value()) + "}";
        };
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') q.append('\\');
            q.append(c);
        }
        return q.append('"').toString();
    }

    private static String slug(String label) {
        String s = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (s.length() > 48) s = s.substring(0, 48).replaceAll("-$", "");
        return s.isEmpty() ? "" : "-" + s;
    }
}

package org.haven.pixel.library;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the {@code %filter} sections of a pydicom/deid recipe. Graylist labels carry coordinates and become rules;
 * whitelist and blacklist labels cannot (Haven neither trusts a header to prove pixels clean nor needs flag-only
 * labels: its risk screen and OCR do that), and are reported as skipped.
 *
 * <p>Criteria follow deid's evaluation ({@code deid/dicom/pixels/detect.py}): tests are read left to right, a new
 * line or {@code +} is "and", {@code ||} is "or", without precedence, so {@code A + B || C} is {@code (A and B) or C}.
 * {@code contains} is a case-insensitive regular expression searched in the value; {@code equals} is
 * case-insensitive. {@code coordinates} are xmin,ymin,xmax,ymax; {@code ctpcoordinates} are x,y,width,height.
 */
final class DeidRecipe {

    private static final Pattern SPLIT = Pattern.compile("\\s+(?=(?:\\|\\||\\+)\\s)");
    static final int WHOLE_IMAGE = 65535;

    private DeidRecipe() {}

    static List<LibraryEntry> parse(String text) {
        List<LibraryEntry> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        String section = null;
        Label label = null;
        for (int i = 0; i < lines.length; i++) {
            String t = stripComment(lines[i]).trim();
            if (t.isEmpty()) continue;
            if (t.startsWith("%")) {
                if (label != null) out.add(label.finish());
                label = null;
                String[] w = t.split("\\s+");
                section = w[0].equals("%filter") && w.length > 1 ? w[1].toLowerCase(Locale.ROOT) : null;
                continue;
            }
            if (section == null) continue; // FORMAT line, %header actions
            if (t.startsWith("LABEL")) {
                if (label != null) out.add(label.finish());
                label = new Label(i + 1, t.substring("LABEL".length()).trim(), section);
                continue;
            }
            if (label == null) continue;
            label.add(t);
        }
        if (label != null) out.add(label.finish());
        return out;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    /** One LABEL being read. */
    private static final class Label {
        final int line;
        final String name;
        final String section;
        final List<String> criteria = new ArrayList<>();
        final List<int[]> boxes = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        boolean keepRegions;
        String problem;

        Label(int line, String name, String section) {
            this.line = line;
            this.name = name.replaceAll("\\s+", " ");
            this.section = section;
        }

        void add(String t) {
            String[] w = t.split("\\s+", 2);
            String word = w[0].toLowerCase(Locale.ROOT);
            String arg = w.length > 1 ? w[1].trim() : "";
            switch (word) {
                case "coordinates", "ctpcoordinates" -> {
                    if (arg.equals("all")) {
                        boxes.add(new int[] {0, 0, WHOLE_IMAGE, WHOLE_IMAGE});
                        return;
                    }
                    if (arg.startsWith("from:")) {
                        problem(word + " " + arg + ": coordinates taken from a header field are not supported");
                        return;
                    }
                    String[] n = arg.replace(" ", "").split(",");
                    if (n.length != 4) {
                        problem(word + " needs four numbers: " + arg);
                        return;
                    }
                    int a = Integer.parseInt(n[0]), b = Integer.parseInt(n[1]), c = Integer.parseInt(n[2]), d = Integer.parseInt(n[3]);
                    int[] box = word.equals("ctpcoordinates") ? new int[] {a, b, c, d} : new int[] {a, b, c - a, d - b};
                    if (box[2] <= 0 || box[3] <= 0) {
                        problem(word + " " + arg + ": empty rectangle");
                        return;
                    }
                    boxes.add(box);
                }
                case "keepcoordinates" -> {
                    if (arg.equals("from:SequenceOfUltrasoundRegions")) keepRegions = true;
                    else problem("keepcoordinates " + arg + ": only from:SequenceOfUltrasoundRegions is supported");
                }
                default -> criteria.add(t);
            }
        }

        private void problem(String p) {
            if (problem == null) problem = p;
        }

        LibraryEntry finish() {
            String original = String.join(" ", criteria);
            if (!section.equals("graylist")) {
                return LibraryEntry.skipped(line, name, original, section.equals("whitelist")
                        ? "whitelist: Haven does not let a header prove that pixels are clean"
                        : section + ": flags without regions (Haven's risk screen and OCR flag images)");
            }
            if (problem != null) return LibraryEntry.skipped(line, name, original, problem);
            if (boxes.isEmpty() && !keepRegions) return LibraryEntry.skipped(line, name, original, "flag only: no coordinates");
            if (criteria.isEmpty()) return LibraryEntry.skipped(line, name, original, "no criteria: it would apply to every image");
            try {
                return new LibraryEntry(line, name, original, condition(), boxes, keepRegions, null, notes);
            } catch (IllegalArgumentException e) {
                return LibraryEntry.skipped(line, name, original, e.getMessage());
            }
        }

        /** Left-to-right fold, as deid evaluates: and/or without precedence. */
        private Condition condition() {
            Condition acc = null;
            for (String line : criteria) {
                String op = "and";
                for (String part : SPLIT.split(line)) {
                    String p = part.trim();
                    if (p.startsWith("||")) {
                        op = "or";
                        p = p.substring(2).trim();
                    } else if (p.startsWith("+")) {
                        op = "and";
                        p = p.substring(1).trim();
                    }
                    Condition test = test(p);
                    acc = acc == null ? test : op.equals("and") ? Condition.and(List.of(acc, test)) : Condition.or(List.of(acc, test));
                    op = "and";
                }
            }
            return acc;
        }

        private Condition test(String criterion) {
            String[] w = criterion.split("\\s+", 3);
            String action = w[0].toLowerCase(Locale.ROOT);
            if (w.length < 2) throw new IllegalArgumentException("criterion without a field: " + criterion);
            String field = Attributes.name(w[1]);
            String value = w.length > 2 ? w[2].trim() : "";
            return switch (action) {
                case "contains" -> new Condition.Test(field, "search", value);
                case "notcontains" -> new Condition.Not(new Condition.Test(field, "search", value));
                case "equals" -> {
                    if (!value.contains("|")) yield new Condition.Test(field, "equals", value);
                    // deid compares the whole value, so "600|768" never matched there; the intent is either value
                    notes.add("equals " + w[1] + " " + value + ": never true in deid (whole-value comparison), read here as any of the values");
                    List<Condition> any = new ArrayList<>();
                    for (String v : value.split("\\|")) any.add(new Condition.Test(field, "equals", v.trim()));
                    yield Condition.or(any);
                }
                case "notequals" -> new Condition.Not(new Condition.Test(field, "equals", value));
                case "present" -> new Condition.Test(field, "present", "true");
                case "missing", "empty" -> {
                    notes.add(action + " " + w[1] + ": Haven's 'present: false' holds for both a missing and an empty value");
                    yield new Condition.Test(field, "present", "false");
                }
                default -> throw new IllegalArgumentException("deid filter '" + w[0] + "' has no Haven equivalent");
            };
        }
    }
}

package org.haven.deidentify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pixelmed.dicom.AttributeTag;

import org.haven.text.Classifications;
import org.haven.text.Field;
import org.haven.text.KnownIdentifiers;
import org.haven.text.TextRules;

/**
 * Removes identifiers from free text and keeps the clinical words. It runs the same detectors as the verification
 * gate ({@link TextRules}, from {@code config/verify/}), with the file's own identifiers (names in any order, IDs,
 * birth date in any format, every part of the address, staff names), plus the reviewers' redact list
 * ({@code config/clean/redact.yaml}) and the file's other IDs (study, request, procedure step). Each removed span
 * becomes a typed placeholder ({@code [name]}, {@code [id]}, {@code [date]}, {@code [address]}, {@code [postcode]},
 * {@code [phone]}, {@code [email]}, {@code [redacted]}); adjacent identical placeholders collapse into one.
 * Dates in free text are replaced, not shifted (a shifted date in text would be indistinguishable from a leaked one).
 * <p>Example: {@code "Fall at home, 27 Kirkton Crescent, Forfar DD8 3AB. seen by Eilidh MACRAE"} →
 * {@code "Fall at home, [address]. seen by [name]"}. Every removal names its rule ({@code id file:line}).
 * Thread-safe.
 */
public final class TextCleaner {
    private static final Pattern SPACES = Pattern.compile("[ \\t]{2,}");
    /** The file's identifiers, gathered before anything is modified. */
    public record FileIds(KnownIdentifiers known, Set<String> otherIds) {
        public static final FileIds NONE = new FileIds(KnownIdentifiers.none(), Set.of());

        public FileIds {
            otherIds = Set.copyOf(otherIds);
        }
    }

    /** One rule that removed something: its id and where it is defined. */
    public record Removal(String rule, String where) {
        @Override public String toString() { return rule + " (" + where + ")"; }
    }

    /** The cleaned text and the rules that fired (empty when nothing was removed). */
    public record Cleaned(String text, List<Removal> removals) {
        public boolean changed() { return !removals.isEmpty(); }
    }

    private static final String OTHER_ID_WHERE = "(engine: the file's own study, request and procedure-step IDs)";
    private static volatile TextCleaner standard;

    private final java.util.function.Supplier<TextRules> rules;
    private final RedactList redact;

    public TextCleaner(TextRules rules, RedactList redact) {
        this(() -> rules, redact);
    }

    /** With rules that may change while running (the node's live config/verify): each value uses the current set. */
    public TextCleaner(java.util.function.Supplier<TextRules> rules, RedactList redact) {
        this.rules = rules;
        this.redact = redact == null ? RedactList.NONE : redact;
    }

    /** Detectors from {@code configDir/verify}, redact list from {@code configDir/clean/redact.yaml}. */
    public static TextCleaner load(Path configDir) {
        return new TextCleaner(TextRules.load(configDir.resolve("verify")), RedactList.load(configDir.resolve("clean").resolve("redact.yaml")));
    }

    /** Makes this the cleaner every {@link Deidentifier} built without one uses (the node installs its own at start). */
    public static void install(TextCleaner cleaner) { standard = cleaner; }

    /** The installed cleaner, or one loaded from {@code ./config} (command-line tools, tests) on first use. */
    public static TextCleaner standard() {
        TextCleaner c = standard;
        if (c == null) {
            synchronized (TextCleaner.class) {
                if (standard == null) standard = load(Path.of(System.getProperty("haven.config", "config")));
                c = standard;
            }
        }
        return c;
    }

    public TextRules rules() { return rules.get(); }

    public RedactList redactList() { return redact; }

    /** Whether config/verify scopes this field as free text whatever its VR. */
    public boolean isFreeText(Field f) { return rules.get().isFreeText(f); }

    private record Cut(int start, int end, String classification, String label) {}

    /** Cleans one value; {@code field} carries the attribute path and VR the scopes look at. */
    public Cleaned clean(Field field, FileIds ids) {
        String text = field.text();
        if (text == null || text.isBlank()) return new Cleaned(text, List.of());
        Set<Removal> fired = new LinkedHashSet<>();
        String s = text;
        for (int pass = 0; pass < 3; pass++) {   // a second pass catches what a removal brought together
            String next = once(new Field(field.elements(), field.path(), field.vr(), s), ids, fired);
            if (next.equals(s)) break;
            s = next;
        }
        return new Cleaned(s, List.copyOf(fired));
    }

    private String once(Field f, FileIds ids, Set<Removal> fired) {
        String text = f.text();
        List<Cut> cuts = new ArrayList<>();
        for (TextRules.Hit h : rules.get().find(f, ids.known())) {
            if (h.classification().equals("verifier-error")) {  // fail closed: a value a detector cannot read goes whole
                fired.add(new Removal(h.ruleId(), h.where()));
                return "[removed]";
            }
            cuts.add(new Cut(h.start(), h.end(), h.classification(), h.label()));
            fired.add(new Removal(h.ruleId(), h.where()));
        }
        for (RedactList.Entry e : redact.current()) {
            Matcher m = e.pattern().matcher(text);
            while (m.find()) {
                if (m.end() == m.start()) continue;
                cuts.add(new Cut(m.start(), m.end(), Classifications.REDACT, null));
                fired.add(new Removal(e.id(), e.where()));
            }
        }
        String lower = null;
        for (String id : ids.otherIds()) {
            if (lower == null) lower = text.toLowerCase(Locale.ROOT);
            if (!lower.contains(id.toLowerCase(Locale.ROOT))) continue;
            Matcher m = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(id) + "(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE).matcher(text);
            while (m.find()) {
                cuts.add(new Cut(m.start(), m.end(), Classifications.HOSPITAL_NUMBER, null));
                fired.add(new Removal("file-id", OTHER_ID_WHERE));
            }
        }
        if (cuts.isEmpty()) return text;
        return tidy(apply(text, cuts));
    }

    /** Replaces the union of the cut spans; a merged span takes the placeholder of its most serious cut. */
    private static String apply(String text, List<Cut> cuts) {
        cuts.sort(Comparator.comparingInt(Cut::start).thenComparingInt(c -> -c.end()));
        StringBuilder out = new StringBuilder();
        int pos = 0, i = 0;
        while (i < cuts.size()) {
            Cut first = cuts.get(i);
            int start = first.start(), end = first.end();
            Cut worst = first;
            i++;
            while (i < cuts.size() && cuts.get(i).start() < end) {
                Cut c = cuts.get(i++);
                end = Math.max(end, c.end());
                if (Classifications.rank(c.classification()) < Classifications.rank(worst.classification())) worst = c;
            }
            if (start < pos) start = pos;
            out.append(text, pos, start).append(placeholder(worst.classification(), worst.label()));
            pos = end;
        }
        out.append(text, pos, text.length());
        return out.toString();
    }

    static String placeholder(String classification, String label) {
        if (Classifications.SOURCE_IDENTIFIER.equals(classification) && label != null) {
            return switch (label) {
                case KnownIdentifiers.PATIENT_NAME, KnownIdentifiers.OTHER_NAME, KnownIdentifiers.PHYSICIAN_NAME -> "[name]";
                case KnownIdentifiers.BIRTH_DATE -> "[date]";
                case KnownIdentifiers.ADDRESS, KnownIdentifiers.ADDRESS_PART -> "[address]";
                case KnownIdentifiers.TELEPHONE -> "[phone]";
                case KnownIdentifiers.INSTITUTION -> "[institution]";
                default -> "[id]";
            };
        }
        return switch (classification) {
            case Classifications.CHI, Classifications.NHS_NUMBER, Classifications.HOSPITAL_NUMBER, Classifications.SOURCE_IDENTIFIER -> "[id]";
            case Classifications.NAME -> "[name]";
            case Classifications.ADDRESS -> "[address]";
            case Classifications.EMAIL -> "[email]";
            case Classifications.PHONE -> "[phone]";
            case Classifications.POSTCODE -> "[postcode]";
            case Classifications.DATE -> "[date]";
            case Classifications.REDACT -> "[redacted]";
            default -> "[removed]";
        };
    }

    private static final Pattern REPEATED = Pattern.compile("(\\[(?:name|id|date|address|postcode|phone|email|redacted|removed|institution)\\])(?:[\\s,^]*\\1)+");

    /** Collapses repeated placeholders ("[name] [name]" → "[name]") and runs of spaces. */
    static String tidy(String s) {
        String prev;
        do {
            prev = s;
            s = REPEATED.matcher(s).replaceAll("$1");
        } while (!s.equals(prev));
        // initials next to a removed name are part of it ("J [name]", "[name], J.")
        s = INITIALS_BEFORE.matcher(s).replaceAll("[name]");
        s = INITIALS_AFTER.matcher(s).replaceAll("[name]");
        return SPACES.matcher(s).replaceAll(" ");
    }

    private static final Pattern INITIALS_BEFORE = Pattern.compile("(?<![\\p{L}\\p{N}.])(?:\\p{Lu}(?:\\.\\s*|\\s+)){1,2}\\[name\\]");
    private static final Pattern INITIALS_AFTER = Pattern.compile("\\[name\\],?\\s(?:\\p{Lu}(?:\\.\\s?|\\s))?\\p{Lu}\\.?(?![\\p{L}\\p{N}])");

    // ---- fields from de-identifier paths ----

    /**
     * The field the scopes see for a value at a de-identifier path ({@code ContentSequence[0]/TextValue}, items from 0)
     * : the gate's path form ({@code ContentSequence[1].TextValue}, items from 1) and the tag of every step.
     */
    public static Field field(String deidPath, AttributeTag tag, String vr, String text) {
        List<Field.Element> elements = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        String[] steps = deidPath.split("/");
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            int bracket = step.indexOf('[');
            String name = bracket < 0 ? step : step.substring(0, bracket);
            int[] gt = i == steps.length - 1 ? new int[] {tag.getGroup(), tag.getElement()} : tagOf(name);
            elements.add(new Field.Element(gt[0], gt[1], name, gt[0] >= 0 && (gt[0] & 1) == 1));
            if (path.length() > 0) path.append('.');
            path.append(name);
            if (bracket >= 0) {
                String n = step.substring(bracket + 1, step.indexOf(']', bracket));
                try {
                    path.append('[').append(Integer.parseInt(n) + 1).append(']');
                } catch (NumberFormatException e) {
                    path.append('[').append(n).append(']');
                }
            }
        }
        return new Field(elements, path.toString(), vr, text);
    }

    private static final Pattern TAG_TEXT = Pattern.compile("\\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\\)");

    private static int[] tagOf(String name) {
        Matcher m = TAG_TEXT.matcher(name);
        if (m.matches()) return new int[] {Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16)};
        AttributeTag t = Deidentifier.DICT.getTagFromName(name);
        return t == null ? new int[] {-1, -1} : new int[] {t.getGroup(), t.getElement()};
    }

    /** Other IDs of the file from raw values (study, request, procedure step): at least three characters. */
    static Set<String> otherIds(Collection<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null) continue;
            String t = v.trim();
            if (t.length() >= 3 && t.chars().anyMatch(Character::isLetterOrDigit) && !(t.chars().allMatch(Character::isDigit) && t.length() < 4)) out.add(t);
        }
        return out;
    }
}

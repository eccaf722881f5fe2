package org.haven.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.pixelmed.dicom.DicomDictionary;

import org.haven.config.YamlNode;

/**
 * Which fields a rule or allow entry applies to: {@code apply-to} / {@code exclude} selectors and {@code vr} /
 * {@code exclude-vr} lists. A selector is
 * <ul>
 *   <li>a keyword ({@code PatientComments}): any field whose path contains that attribute (so a sequence keyword
 *       covers everything inside it);</li>
 *   <li>a tag {@code (0009,1010)}, hex digits or {@code x} wildcards ({@code (0009,xxxx)}), likewise anywhere in the path;</li>
 *   <li>{@code private}: any private attribute or anything inside one;</li>
 *   <li>a path pattern (anything with {@code .}, {@code [} or {@code *}): matched against the whole path, where
 *       {@code *} stands for any text without a dot, {@code **} for any text, {@code [*]} for any item number.</li>
 * </ul>
 */
final class Scope {
    static final Set<String> VRS = Set.of("AE", "AS", "CS", "DA", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UR", "UT", "UI", "UN", "OB", "OCR");

    static final Scope ALL = new Scope(List.of(), List.of(), Set.of(), Set.of());

    private final List<Selector> applyTo;
    private final List<Selector> exclude;
    private final Set<String> vrs;
    private final Set<String> excludeVrs;

    private Scope(List<Selector> applyTo, List<Selector> exclude, Set<String> vrs, Set<String> excludeVrs) {
        this.applyTo = applyTo;
        this.exclude = exclude;
        this.vrs = vrs;
        this.excludeVrs = excludeVrs;
    }

    boolean matches(Field f) {
        if (!vrs.isEmpty() && !vrs.contains(f.vr())) return false;
        if (excludeVrs.contains(f.vr())) return false;
        if (!applyTo.isEmpty()) {
            boolean any = false;
            for (Selector s : applyTo) if (s.matches(f)) { any = true; break; }
            if (!any) return false;
        }
        for (Selector s : exclude) if (s.matches(f)) return false;
        return true;
    }

    /** Reads apply-to, exclude, vr, exclude-vr from a rule node (all optional). */
    static Scope parse(YamlNode rule) {
        List<Selector> applyTo = selectors(rule, "apply-to");
        List<Selector> exclude = selectors(rule, "exclude");
        Set<String> vrs = vrSet(rule, "vr");
        Set<String> excludeVrs = vrSet(rule, "exclude-vr");
        return new Scope(applyTo, exclude, vrs, excludeVrs);
    }

    private static Set<String> vrSet(YamlNode rule, String key) {
        if (rule.get(key).isEmpty()) return Set.of();
        YamlNode n = rule.get(key).get();
        List<String> out = new ArrayList<>();
        for (String v : n.strings()) {
            String vr = v.trim().toUpperCase(Locale.ROOT);
            if (!VRS.contains(vr)) throw n.fail("unknown or unscanned VR '" + v + "' in '" + key + "' (scanned VRs: " + String.join(", ", VRS.stream().sorted().toList()) + ")");
            out.add(vr);
        }
        return Set.copyOf(out);
    }

    private static List<Selector> selectors(YamlNode rule, String key) {
        if (rule.get(key).isEmpty()) return List.of();
        YamlNode n = rule.get(key).get();
        List<Selector> out = new ArrayList<>();
        for (String s : n.strings()) out.add(Selector.parse(s.trim(), n));
        return out;
    }

    interface Selector {
        boolean matches(Field f);

        Pattern TAG = Pattern.compile("\\(?([0-9A-Fa-fxX]{4}),([0-9A-Fa-fxX]{4})\\)?");
        Pattern KEYWORD = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

        static Selector parse(String s, YamlNode where) {
            if (s.isEmpty()) throw where.fail("empty attribute selector");
            if (s.equalsIgnoreCase("private")) {
                return f -> {
                    for (Field.Element el : f.elements()) if (el.isPrivate()) return true;
                    return false;
                };
            }
            var tag = TAG.matcher(s);
            if (tag.matches()) {
                int[] g = hexMask(tag.group(1)), e = hexMask(tag.group(2));
                return f -> {
                    for (Field.Element el : f.elements()) {
                        if (el.group() >= 0 && (el.group() & g[0]) == g[1] && (el.element() & e[0]) == e[1]) return true;
                    }
                    return false;
                };
            }
            if (s.contains(".") || s.contains("[") || s.contains("*")) {
                Pattern p = glob(s, where);
                return f -> p.matcher(f.path()).matches();
            }
            if (!KEYWORD.matcher(s).matches()) throw where.fail("not an attribute selector: '" + s + "' (use a keyword, (gggg,eeee), 'private' or a path pattern)");
            if (!s.equals("OCR") && DicomDictionary.StandardDictionary.getTagFromName(s) == null) {
                throw where.fail("unknown attribute keyword '" + s + "'");
            }
            return f -> {
                for (Field.Element el : f.elements()) if (el.name().equals(s)) return true;
                return false;
            };
        }

        /** Four hex digits with x wildcards as {mask, value}. */
        private static int[] hexMask(String four) {
            int mask = 0, value = 0;
            for (char c : four.toUpperCase(Locale.ROOT).toCharArray()) {
                mask <<= 4;
                value <<= 4;
                if (c != 'X') {
                    mask |= 0xF;
                    value |= Character.digit(c, 16);
                }
            }
            return new int[] {mask, value};
        }

        private static Pattern glob(String s, YamlNode where) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (s.startsWith("[*]", i)) { re.append("\\[\\d+\\]"); i += 2; }
                else if (s.startsWith("**", i)) { re.append(".*"); i++; }
                else if (c == '*') re.append("[^.]*");
                else re.append(Pattern.quote(String.valueOf(c)));
            }
            return Pattern.compile(re.toString());
        }
    }
}

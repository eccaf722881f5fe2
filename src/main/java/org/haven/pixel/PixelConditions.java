package org.haven.pixel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;

/**
 * The {@code when:} part of a pixel rule. A map of conditions that must all hold; besides a DICOM keyword a key may
 * be a tag {@code "(gggg,eeee)"} (private elements, as the published libraries name them), {@code private-creator},
 * {@code at-risk} (what {@link BurnedInRisk} says of the header: broad library signatures such as "SeriesDescription
 * contains Dose" must not blank ordinary low-dose CT slices), or one of the combinators {@code any: [map, …]} (at
 * least one holds), {@code all: [map, …]} and {@code not: map}.
 *
 * <p>Value tests: a scalar or {@code equals} (whole value, case-insensitive, numbers numerically), a list (any of),
 * {@code regex} (whole value), {@code contains} (one of the values equals), {@code present}; and, for rules written
 * like the CTP and deid libraries, substring tests on the backslash-joined value, case-insensitive:
 * {@code includes}, {@code starts-with}, {@code ends-with}, {@code search} (a regular expression found anywhere).
 * Those four also look into sequence items when the attribute is not at the top level (CTP matches CodeMeaning that
 * way). A value that cannot be decoded is not "no match" (under {@code not} that would become a match): it throws
 * {@link UnreadableAttributeException} and {@link PixelPolicy} holds the file as pixels-unverified.
 */
final class PixelConditions {

    static final List<String> MATCH_KEYS = List.of("equals", "regex", "contains", "present",
            "includes", "starts-with", "ends-with", "search");
    static final List<String> COMBINATORS = List.of("any", "all", "not");
    /** {@code at-risk: true}: only images the header risk screen ({@link BurnedInRisk}) marks at risk. */
    static final String AT_RISK = "at-risk";
    static final Pattern TAG_KEY = Pattern.compile("\\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\\)");

    private PixelConditions() {}

    /** Parses a {@code when} map (or a map inside any/all/not) into conditions that must all hold. */
    static List<PixelRule.Condition> parse(YamlNode when, String ruleId) {
        Map<String, YamlNode> conds = when.entries();
        if (conds.isEmpty()) throw when.fail("rule '" + ruleId + "': 'when' needs at least one condition");
        List<PixelRule.Condition> out = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : conds.entrySet()) {
            String key = e.getKey();
            YamlNode v = e.getValue();
            switch (key) {
                case "any", "all" -> {
                    if (!v.isList() || v.list().isEmpty()) throw v.fail("'" + key + "' needs a list of condition maps");
                    List<PixelRule.Condition> parts = new ArrayList<>();
                    for (YamlNode item : v.list()) parts.add(allOf(parse(item, ruleId)));
                    out.add(key.equals("any") ? anyOf(parts) : allOf(parts));
                }
                case "not" -> {
                    PixelRule.Condition inner = allOf(parse(v, ruleId));
                    out.add(cond("not (" + inner.describe() + ")", h -> !inner.test(h)));
                }
                case PixelRules.PRIVATE_CREATOR -> out.add(PixelRules.privateCreator(v));
                case AT_RISK -> {
                    boolean want = switch (v.text().trim().toLowerCase(Locale.ROOT)) {
                        case "true", "yes" -> true;
                        case "false", "no" -> false;
                        default -> throw v.fail("'" + AT_RISK + "' must be true or false");
                    };
                    out.add(cond(want ? "at risk of burned-in text" : "not at risk of burned-in text", h -> BurnedInRisk.assessImage(h).atRisk() == want));
                }
                default -> {
                    AttributeTag tag = tag(when, key);
                    out.add(PixelRules.attributeCondition(key, tag, v));
                }
            }
        }
        return out;
    }

    private static AttributeTag tag(YamlNode when, String key) {
        var m = TAG_KEY.matcher(key);
        if (m.matches()) return new AttributeTag(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16));
        AttributeTag tag = AttributeList.getDictionary().getTagFromName(key);
        if (tag == null) {
            throw new ConfigException(when.file(), when.keyLine(key), "unknown DICOM attribute keyword '" + key
                    + "' (use the keyword as in PS3.6, e.g. Manufacturer, ManufacturerModelName, Rows; a tag as \"(0019,1201)\"; "
                    + PixelRules.PRIVATE_CREATOR + "; or any/all/not)");
        }
        return tag;
    }

    /** The substring tests; null when {@code op} is not one of them. */
    static PixelRule.Condition substring(String keyword, AttributeTag tag, String op, YamlNode argNode) {
        String arg = argNode.text().trim();
        String lower = arg.toLowerCase(Locale.ROOT);
        if (arg.isEmpty()) throw argNode.fail("'" + op + "' needs a value");
        return switch (op) {
            case "includes" -> cond(keyword + " includes \"" + arg + "\"", h -> deepValues(h, tag).stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).contains(lower)));
            case "starts-with" -> cond(keyword + " starts with \"" + arg + "\"", h -> deepValues(h, tag).stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).startsWith(lower)));
            case "ends-with" -> cond(keyword + " ends with \"" + arg + "\"", h -> deepValues(h, tag).stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).endsWith(lower)));
            case "search" -> {
                Pattern p = PixelRules.pattern(argNode, arg);
                yield cond(keyword + " ~ /" + arg + "/ (anywhere)", h -> deepValues(h, tag).stream().anyMatch(s -> p.matcher(s).find()));
            }
            default -> null;
        };
    }

    /**
     * The backslash-joined value at the top level, or, when the attribute is not there, the values of every
     * occurrence in sequence items (depth first). An undecodable value is not "no match": it throws
     * {@link UnreadableAttributeException} and the file is held (fail closed; a negated test would otherwise pass).
     */
    static List<String> deepValues(AttributeList h, AttributeTag tag) {
        Attribute top = h.get(tag);
        if (top != null) return List.of(PixelRules.joined(h, tag));
        List<String> out = new ArrayList<>();
        collect(h, tag, out, 0);
        return out;
    }

    private static void collect(AttributeList l, AttributeTag tag, List<String> out, int depth) {
        if (depth > 16) return; // pathological nesting: stop rather than recurse without bound
        for (Object o : l.values()) {
            if (!(o instanceof SequenceAttribute s)) continue;
            for (int i = 0; i < s.getNumberOfItems(); i++) {
                SequenceItem item = s.getItem(i);
                AttributeList il = item == null ? null : item.getAttributeList();
                if (il == null) continue;
                Attribute a = il.get(tag);
                if (a != null) {
                    try {
                        String[] v = a.getStringValues();
                        if (v != null) out.add(String.join("\\", trimmed(v)));
                    } catch (DicomException e) {
                        throw new UnreadableAttributeException(tag, e);
                    }
                }
                collect(il, tag, out, depth + 1);
            }
        }
    }

    private static String[] trimmed(String[] v) {
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] == null ? "" : v[i].trim();
        return out;
    }

    static PixelRule.Condition allOf(List<PixelRule.Condition> parts) {
        if (parts.size() == 1) return parts.get(0);
        List<PixelRule.Condition> copy = List.copyOf(parts);
        return cond("(" + String.join(" and ", copy.stream().map(PixelRule.Condition::describe).toList()) + ")",
                h -> copy.stream().allMatch(c -> c.test(h)));
    }

    static PixelRule.Condition anyOf(List<PixelRule.Condition> parts) {
        if (parts.size() == 1) return parts.get(0);
        List<PixelRule.Condition> copy = List.copyOf(parts);
        return cond("(" + String.join(" or ", copy.stream().map(PixelRule.Condition::describe).toList()) + ")",
                h -> copy.stream().anyMatch(c -> c.test(h)));
    }

    static PixelRule.Condition cond(String describe, Predicate<AttributeList> test) {
        return new PixelRule.Condition() {
            @Override public boolean test(AttributeList header) { return test.test(header); }
            @Override public String describe() { return describe; }
            @Override public String toString() { return describe; }
        };
    }
}

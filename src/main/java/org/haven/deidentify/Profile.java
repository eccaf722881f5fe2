package org.haven.deidentify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.AttributeTag;

/**
 * A resolved de-identification profile (its own rules over those of the profiles it extends). Immutable; built by
 * {@link ProfileRegistry}. Lookup order for an attribute: exact tag, then wildcard patterns (the most recently
 * defined wins: a child's wildcard overrides its parent's), then {@link #unlisted()} for public attributes.
 * Private attributes (odd groups) always go to {@link #privateRule()}.
 */
public final class Profile {
    /** CID 7050 de-identification method codes Haven knows (scheme DCM). */
    public static final Map<String, String> METHOD_CODES;
    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("113100", "Basic Application Confidentiality Profile");
        m.put("113101", "Clean Pixel Data Option");
        m.put("113102", "Clean Recognizable Visual Features Option");
        m.put("113103", "Clean Graphics Option");
        m.put("113104", "Clean Structured Content Option");
        m.put("113105", "Clean Descriptors Option");
        m.put("113106", "Retain Longitudinal Temporal Information Full Dates Option");
        m.put("113107", "Retain Longitudinal Temporal Information Modified Dates Option");
        m.put("113108", "Retain Patient Characteristics Option");
        m.put("113109", "Retain Device Identity Option");
        m.put("113110", "Retain UIDs Option");
        m.put("113111", "Retain Safe Private Option");
        m.put("113112", "Retain Institution Identity Option");
        METHOD_CODES = Collections.unmodifiableMap(m);
    }

    private final String name;
    private final Path file;
    private final String description;
    private final List<String> methodCodes;
    private final Rule unlisted;
    private final Rule privateRule;
    private final SafePrivateList safePrivate;
    private final Map<Integer, Rule> exact;
    private final List<Map.Entry<TagPattern, Rule>> wildcards;
    private final List<String> applied;
    private final List<String> conflicts;

    Profile(String name, Path file, String description, List<String> methodCodes, Rule unlisted, Rule privateRule,
            SafePrivateList safePrivate, Map<Integer, Rule> exact, List<Map.Entry<TagPattern, Rule>> wildcards,
            List<String> applied, List<String> conflicts) {
        this.applied = List.copyOf(applied);
        this.conflicts = List.copyOf(conflicts);
        this.name = name;
        this.file = file;
        this.description = description;
        this.methodCodes = List.copyOf(methodCodes);
        this.unlisted = unlisted;
        this.privateRule = privateRule;
        this.safePrivate = safePrivate == null ? SafePrivateList.empty() : safePrivate;
        this.exact = Map.copyOf(exact);
        this.wildcards = List.copyOf(wildcards);
    }

    public String name() { return name; }

    public Path file() { return file; }

    public String description() { return description; }

    /** The profile files whose own rules make this profile, in the order they were applied (later ones win). */
    public List<String> applied() { return applied; }

    /**
     * Rules of one option replaced by a different rule of another option that does not extend it, each as
     * {@code selector: code (file:line) overridden by code (file:line)}; empty when the options agree.
     */
    public List<String> conflicts() { return conflicts; }

    /** CID 7050 code values, in order, e.g. 113100, 113105, 113107. */
    public List<String> methodCodes() { return methodCodes; }

    /** Rule for public attributes the profile does not list (UI attributes are remapped regardless, see Deidentifier). */
    public Rule unlisted() { return unlisted; }

    /** Rule for private attributes: remove, or clean/keep-safe = keep only the safe-private allowlist. */
    public Rule privateRule() { return privateRule; }

    public SafePrivateList safePrivate() { return safePrivate; }

    /**
     * True unless the profile removes or empties OverlayData (60xx,3000): the pixel stage then treats overlay content
     * as burned-in text to check (basic and research remove it; the Clean Graphics option keeps it).
     */
    public boolean keepsOverlayData() {
        Rule r = ruleFor(0x6000, 0x3000);
        if (r == null) r = unlisted();
        return r.action() != Action.REMOVE && r.action() != Action.EMPTY;
    }

    /** The rule listed for a public tag (exact, else wildcard), or null if the profile does not list it. */
    public Rule ruleFor(int group, int element) {
        Rule r = exact.get(TagPattern.key(group, element));
        if (r != null) return r;
        int key = TagPattern.key(group, element);
        for (int i = wildcards.size() - 1; i >= 0; i--) {
            if (wildcards.get(i).getKey().matches(key)) return wildcards.get(i).getValue();
        }
        return null;
    }

    public Rule ruleFor(AttributeTag tag) { return ruleFor(tag.getGroup(), tag.getElement()); }

    /** All listed rules (exact ones first, then wildcards), for documentation and tests. */
    public List<Rule> rules() {
        List<Rule> out = new ArrayList<>(exact.values());
        for (Map.Entry<TagPattern, Rule> e : wildcards) out.add(e.getValue());
        return out;
    }

    /**
     * Value of LongitudinalTemporalInformationModified (0028,0303) this profile produces, from its StudyDate rule:
     * shift-date → MODIFIED, keep → UNMODIFIED, anything else → REMOVED.
     */
    public String longitudinalTemporalInformation() {
        Rule r = ruleFor(0x0008, 0x0020);
        Action a = r == null ? unlisted.action() : r.action();
        return switch (a) {
            case SHIFT_DATE -> "MODIFIED";
            case KEEP -> "UNMODIFIED";
            default -> "REMOVED";
        };
    }

    /** DeidentificationMethod (0012,0063) values: Haven's profile name then the meaning of each method code. */
    public List<String> methodDescription() {
        List<String> out = new ArrayList<>();
        out.add("Haven profile " + name);
        for (String c : methodCodes) out.add(METHOD_CODES.getOrDefault(c, c));
        return out;
    }

    @Override
    public String toString() { return "Profile[" + name + " from " + file + "]"; }
}

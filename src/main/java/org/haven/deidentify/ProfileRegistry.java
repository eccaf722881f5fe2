package org.haven.deidentify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.ValueRepresentation;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;

/**
 * All profiles in a directory ({@code config/profiles/*.yaml}; the profile name is the file name without
 * {@code .yaml}), validated when loaded. Every problem is a {@link ConfigException} naming file, line and problem:
 * unknown key, unknown keyword, bad tag, bad action, unknown parent, a cycle in {@code extends}, unknown method code.
 *
 * <p>File format (see {@code config/profiles/basic.yaml} for the full commented example):
 * <pre>
 * description: one line
 * extends: basic                 # or a list: [basic, clean-descriptors]; later ones override earlier ones
 * methods: [113100]              # CID 7050 codes this file adds to DeidentificationMethodCodeSequence
 * unlisted: keep                 # public attributes the profile does not list: keep | remove
 * private: X                     # private attributes: X/remove, or C/keep-safe (allowlist only)
 * safe-private: private/safe-private.yaml   # allowlist for keep-safe, relative to this directory
 * attributes:
 *   PatientName: pseudonym       # keyword, (gggg,eeee) or wildcard (60xx,3000)
 *   (0010,0030): Z
 *   InstitutionName: {replace: "RESEARCH SITE"}
 * </pre>
 */
public final class ProfileRegistry {
    static final List<String> KEYS = List.of("description", "extends", "methods", "unlisted", "private", "safe-private", "attributes");
    private static final DicomDictionary DICT = AttributeList.getDictionary();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProfileRegistry.class);

    private final Map<String, Profile> profiles;
    private final Map<String, Raw> raws;
    private final Map<String, List<String>> lineages;
    private final Map<String, Profile> compositions = new java.util.concurrent.ConcurrentHashMap<>();

    private ProfileRegistry(Map<String, Profile> profiles, Map<String, Raw> raws, Map<String, List<String>> lineages) {
        this.profiles = profiles;
        this.raws = raws;
        this.lineages = lineages;
    }

    /** Loads and validates every {@code *.yaml} directly in the directory (sub-directories hold allowlists etc.). */
    public static ProfileRegistry load(Path profilesDir) {
        if (!Files.isDirectory(profilesDir)) throw new ConfigException(profilesDir, 0, "profiles directory not found");
        List<Path> files;
        try (Stream<Path> s = Files.list(profilesDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(profilesDir, 0, "cannot list: " + e.getMessage());
        }
        Map<String, Raw> raws = new LinkedHashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString().replaceFirst("\\.yaml$", "");
            if (name.contains(COMPOSE)) throw new ConfigException(f, 0, "a profile's file name may not contain '" + COMPOSE + "' (it composes profiles)");
            raws.put(name, Raw.parse(name, f, profilesDir));
        }
        Map<String, Profile> out = new TreeMap<>();
        Map<String, List<String>> done = new HashMap<>();
        for (String name : raws.keySet()) {
            Resolved r = resolve(linearise(name, raws, done, new LinkedHashSet<>(), null, 0), raws, done);
            Profile p = r.toProfile(name, raws.get(name));
            warnConflicts(p);
            out.put(name, p);
        }
        return new ProfileRegistry(Collections.unmodifiableMap(out), raws, done);
    }

    /** Separates the parts of a composition on the command line or in the device registry: {@code research+retain-uids}. */
    public static final String COMPOSE = "+";

    /**
     * The profile, or null if unknown. A composition {@code a+b+c} of loaded profiles is resolved (once, then
     * cached) as if a profile extended {@code [a, b, c]}: each profile's own rules once, left to right, the later
     * one winning a conflict (recorded in {@link Profile#conflicts()}).
     */
    public Profile get(String name) {
        if (name == null) return null;
        Profile p = profiles.get(name);
        if (p != null || !name.contains(COMPOSE)) return p;
        if (problem(name) != null) return null;
        return compositions.computeIfAbsent(name, n -> {
            List<String> order = new ArrayList<>();
            for (String part : parts(n)) for (String x : lineages.get(part)) if (!order.contains(x)) order.add(x);
            Raw first = raws.get(parts(n).get(0));
            StringBuilder d = new StringBuilder();
            for (String part : parts(n)) d.append(d.length() == 0 ? "" : " + ").append(part);
            Raw shown = new Raw(n, first.file, "composition: " + d, List.of(), List.of(), List.of(), null, null, null, Map.of(), List.of());
            Profile out = resolve(order, raws, lineages).toProfile(n, shown);
            warnConflicts(out);
            return out;
        });
    }

    private static void warnConflicts(Profile p) {
        if (p.conflicts().isEmpty()) return;
        LOG.warn("profile {}: {} rule(s) of one option overridden by a later option, e.g. {} (all: ./run.sh explain FILE --profile {})",
                p.name(), p.conflicts().size(), p.conflicts().get(0), p.name());
    }

    /** Why a profile name (or composition) is not usable, or null when it is. */
    public String problem(String name) {
        if (name == null || name.isBlank()) return "no profile named";
        if (profiles.containsKey(name)) return null;
        for (String part : parts(name)) {
            if (!profiles.containsKey(part)) return "unknown profile '" + part + "' (known: " + String.join(", ", profiles.keySet()) + ")";
        }
        return null;
    }

    /** The parts of a composition, in order (one part for a plain profile name). */
    public static List<String> parts(String name) {
        List<String> out = new ArrayList<>();
        for (String s : name.split(java.util.regex.Pattern.quote(COMPOSE), -1)) out.add(s.trim());
        return out;
    }

    public Set<String> names() { return profiles.keySet(); }

    // ---------------------------------------------------------------------------------------------------------

    /** One file as written. */
    private record Raw(String name, Path file, String description, List<String> parents, List<Integer> parentLines,
                       List<String> methods, Rule unlisted, Rule privateRule, SafePrivateList safePrivate,
                       Map<Integer, Rule> exact, List<Map.Entry<TagPattern, Rule>> wildcards) {

        static Raw parse(String name, Path file, Path dir) {
            YamlNode root = YamlNode.load(file);
            if (!root.isMap()) throw root.fail("a profile must be a mapping with keys " + String.join(", ", KEYS));
            root.allowOnly(KEYS);
            String description = root.string("description", "");
            List<String> parents = new ArrayList<>();
            List<Integer> parentLines = new ArrayList<>();
            root.get("extends").ifPresent(n -> {
                if (n.isList()) {
                    for (YamlNode p : n.list()) { parents.add(p.text().trim()); parentLines.add(p.line()); }
                } else {
                    parents.add(n.text().trim());
                    parentLines.add(n.line());
                }
            });
            List<String> methods = new ArrayList<>();
            root.get("methods").ifPresent(n -> {
                List<YamlNode> items = n.isList() ? n.list() : List.of(n);
                for (YamlNode m : items) {
                    String code = m.text().trim();
                    if (!Profile.METHOD_CODES.containsKey(code)) {
                        throw m.fail("unknown de-identification method code '" + code + "' (CID 7050: " + String.join(", ", Profile.METHOD_CODES.keySet()) + ")");
                    }
                    methods.add(code);
                }
            });
            Rule unlisted = root.get("unlisted").map(n -> {
                Rule r = rule("unlisted", n, file);
                if (r.action() != Action.KEEP && r.action() != Action.REMOVE) throw n.fail("'unlisted' must be keep or remove");
                return r;
            }).orElse(null);
            Rule priv = root.get("private").map(n -> {
                String t = n.isScalar() ? n.text().trim() : "";
                Action a = t.equalsIgnoreCase("keep-safe") ? Action.CLEAN : Action.parse(t);
                if (a != Action.REMOVE && a != Action.CLEAN) throw n.fail("'private' must be X (remove) or C / keep-safe (keep the safe-private allowlist only)");
                return new Rule("private", t, a, null, file.getFileName() + ":" + n.line());
            }).orElse(null);
            SafePrivateList safe = root.get("safe-private").map(n -> {
                Path p = dir.resolve(n.text().trim()).normalize();
                if (!Files.isRegularFile(p)) throw n.fail("safe-private list '" + n.text().trim() + "' not found (relative to " + dir + ")");
                return SafePrivateList.load(p);
            }).orElse(null);

            Map<Integer, Rule> exact = new LinkedHashMap<>();
            List<Map.Entry<TagPattern, Rule>> wildcards = new ArrayList<>();
            root.get("attributes").ifPresent(attrs -> {
                if (!attrs.isMap()) throw attrs.fail("'attributes' must be a mapping of attribute: action");
                for (Map.Entry<String, YamlNode> e : attrs.entries().entrySet()) {
                    String sel = e.getKey().trim();
                    int keyLine = attrs.keyLine(e.getKey());
                    TagPattern tp;
                    if (TagPattern.looksLikeTag(sel)) {
                        tp = TagPattern.parse(sel);
                        if (tp == null) throw new ConfigException(file, keyLine, "bad tag '" + sel + "': expected (gggg,eeee) in hex, x for any digit");
                    } else {
                        AttributeTag t = DICT.getTagFromName(sel);
                        if (t == null) throw new ConfigException(file, keyLine, "unknown attribute keyword '" + sel + "' (use the PS3.6 keyword or the tag as (gggg,eeee))");
                        tp = new TagPattern(TagPattern.key(t.getGroup(), t.getElement()), 0xFFFFFFFF, sel);
                    }
                    if (tp.isExact() && ((tp.value() >>> 16) & 1) == 1) {
                        throw new ConfigException(file, keyLine, "'" + sel + "' is a private tag: private attributes are governed by 'private' and 'safe-private'");
                    }
                    Rule r = rule(sel, e.getValue(), file);
                    if (tp.isExact()) {
                        checkVr(r, tp, file, keyLine);
                        exact.put(tp.value(), r);
                    } else {
                        wildcards.add(new AbstractMap.SimpleImmutableEntry<>(tp, r));
                    }
                }
            });
            return new Raw(name, file, description, parents, parentLines, methods, unlisted, priv, safe, exact, wildcards);
        }

        /** An action: a scalar code/word, or {replace: VALUE}. */
        static Rule rule(String selector, YamlNode n, Path file) {
            String source = file.getFileName() + ":" + n.line();
            if (n.isMap()) {
                Map<String, YamlNode> m = n.entries();
                if (m.size() != 1 || !m.containsKey("replace")) throw n.fail("bad action for '" + selector + "': a mapping must be {replace: VALUE}");
                return new Rule(selector, "replace", Action.REPLACE, m.get("replace").text(), source);
            }
            if (!n.isScalar()) throw n.fail("bad action for '" + selector + "': expected one of " + Action.known());
            String t = n.text().trim();
            Action a = Action.parse(t);
            if (a == null || a == Action.REPLACE) throw n.fail("bad action '" + t + "' for '" + selector + "': expected one of " + Action.known());
            return new Rule(selector, t, a, null, source);
        }

        static void checkVr(Rule r, TagPattern tp, Path file, int line) {
            AttributeTag t = new AttributeTag(tp.value() >>> 16, tp.value() & 0xFFFF);
            byte[] vr = DICT.getValueRepresentationFromTag(t);
            if (vr == null) return;
            String v = new String(vr);
            if (r.action() == Action.SHIFT_DATE && !ValueRepresentation.isDateVR(vr) && !ValueRepresentation.isDateTimeVR(vr) && !ValueRepresentation.isTimeVR(vr)) {
                throw new ConfigException(file, line, "shift-date applies to DA, DT and TM attributes; '" + r.selector() + "' is " + v);
            }
            if ((r.action() == Action.PSEUDONYM || r.action() == Action.CLEAN_TEXT || r.action() == Action.HASH) && !Values.isText(v)) {
                throw new ConfigException(file, line, r.action().word() + " applies to text attributes; '" + r.selector() + "' is " + v);
            }
        }
    }

    /**
     * Accumulated rules. Profiles are applied in the order of the linearised {@code extends} graph: every ancestor
     * once, parents before children, in the order listed. So {@code research} extending
     * {@code [clean-descriptors, retain-modified-dates]} (both extending {@code basic}) applies basic, then
     * clean-descriptors' own rules, then retain-modified-dates' own rules, then its own: an option's overrides are
     * not undone by the second option re-applying basic. A composition {@code a+b} is linearised the same way, as if
     * a profile extended {@code [a, b]}: {@code b} adds only its own rules on top of {@code a}.
     *
     * <p>A rule that replaces a different rule of a profile which is not one of its own ancestors is a
     * <em>conflict</em> (two options disagree): the later one wins and the conflict is recorded with both
     * {@code file:line}s.
     */
    private static final class Resolved {
        final List<String> methods = new ArrayList<>();
        final List<String> applied = new ArrayList<>();
        final List<String> conflicts = new ArrayList<>();
        Rule unlisted;
        Rule privateRule;
        SafePrivateList safePrivate;
        final Map<Integer, Rule> exact = new LinkedHashMap<>();
        final List<Map.Entry<TagPattern, Rule>> wildcards = new ArrayList<>();
        private final Map<Object, String> owner = new HashMap<>();   // rule key -> profile that set it

        void addOwn(Raw r, List<String> ancestors) {
            applied.add(r.name);
            for (String m : r.methods) if (!methods.contains(m)) methods.add(m);
            if (r.unlisted != null) unlisted = set("unlisted", unlisted, r.unlisted, r.name, ancestors);
            if (r.privateRule != null) privateRule = set("private", privateRule, r.privateRule, r.name, ancestors);
            if (r.safePrivate != null) {
                String was = owner.put("safe-private", r.name);
                if (safePrivate != null && was != null && !ancestors.contains(was) && !safePrivate.file().equals(r.safePrivate.file())) {
                    conflicts.add("safe-private: " + was + " (" + safePrivate.file().getFileName() + ") overridden by " + r.name
                            + " (" + r.safePrivate.file().getFileName() + ")");
                }
                safePrivate = r.safePrivate;
            }
            for (Map.Entry<Integer, Rule> e : r.exact.entrySet()) exact.put(e.getKey(), set(e.getKey(), exact.get(e.getKey()), e.getValue(), r.name, ancestors));
            for (Map.Entry<TagPattern, Rule> w : r.wildcards) {
                String k = w.getKey().value() + "/" + w.getKey().mask();
                Rule old = null;
                for (Map.Entry<TagPattern, Rule> x : wildcards) if (x.getKey().value() == w.getKey().value() && x.getKey().mask() == w.getKey().mask()) old = x.getValue();
                set(k, old, w.getValue(), r.name, ancestors);
                wildcards.removeIf(x -> x.getKey().value() == w.getKey().value() && x.getKey().mask() == w.getKey().mask());
                wildcards.add(w);
            }
        }

        private Rule set(Object key, Rule old, Rule rule, String profile, List<String> ancestors) {
            String was = owner.put(key, profile);
            if (old != null && was != null && !ancestors.contains(was)
                    && (old.action() != rule.action() || !java.util.Objects.equals(old.value(), rule.value()))) {
                conflicts.add(rule.selector() + ": " + old.code() + " (" + old.source() + ") overridden by " + rule.code() + " (" + rule.source() + ")");
            }
            return rule;
        }

        Profile toProfile(String name, Raw raw) {
            Rule u = unlisted != null ? unlisted : Rule.builtin(Action.KEEP, "unlisted public attributes are kept");
            Rule p = privateRule != null ? privateRule : Rule.builtin(Action.REMOVE, "private attributes are removed");
            if (p.action() == Action.CLEAN && safePrivate == null) {
                throw new ConfigException(raw.file, 0, "'private: " + p.code() + "' needs a 'safe-private' allowlist (here or in a parent)");
            }
            return new Profile(name, raw.file, raw.description, methods, u, p, safePrivate, exact, wildcards, applied, conflicts);
        }
    }

    private static Resolved resolve(List<String> order, Map<String, Raw> raws, Map<String, List<String>> done) {
        Resolved out = new Resolved();
        for (String n : order) out.addOwn(raws.get(n), done.get(n).subList(0, done.get(n).size() - 1));
        return out;
    }

    /** Ancestors then the profile itself, each once; detects unknown parents and cycles. */
    private static List<String> linearise(String name, Map<String, Raw> raws, Map<String, List<String>> done,
                                          LinkedHashSet<String> stack, Path fromFile, int fromLine) {
        List<String> cached = done.get(name);
        if (cached != null) return cached;
        Raw raw = raws.get(name);
        if (raw == null) throw new ConfigException(fromFile, fromLine, "extends unknown profile '" + name + "' (known: " + String.join(", ", raws.keySet()) + ")");
        if (!stack.add(name)) {
            List<String> cycle = new ArrayList<>(stack);
            cycle = cycle.subList(cycle.indexOf(name), cycle.size());
            throw new ConfigException(fromFile, fromLine, "cycle in extends: " + String.join(" -> ", cycle) + " -> " + name);
        }
        List<String> order = new ArrayList<>();
        for (int i = 0; i < raw.parents.size(); i++) {
            for (String n : linearise(raw.parents.get(i), raws, done, stack, raw.file, raw.parentLines.get(i))) {
                if (!order.contains(n)) order.add(n);
            }
        }
        order.add(name);
        stack.remove(name);
        done.put(name, List.copyOf(order));
        return order;
    }
}

package org.haven.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;

/**
 * Reads {@code config/verify/*.yaml} (in file-name order). Top-level keys: {@code rules} (report rules),
 * {@code allow} (allowlist entries), {@code name-lists} (where the name word lists are). Every problem is a
 * {@link ConfigException} naming file and line: unknown key, bad regex, duplicate id, unknown detector, …
 */
final class RuleSet {
    static final List<String> TOP_KEYS = List.of("rules", "allow", "attributes", "name-lists");
    static final List<String> KIND_KEYS = List.of("kind", "reason", "apply-to", "exclude", "vr", "exclude-vr");
    static final List<String> RULE_KEYS = List.of("id", "description", "detector", "regex", "classification", "case-sensitive",
            "apply-to", "exclude", "vr", "exclude-vr", "known", "min-length", "enabled");
    static final List<String> ALLOW_KEYS = List.of("id", "description", "rules", "values", "regex", "case-sensitive",
            "apply-to", "exclude", "vr", "exclude-vr");
    static final List<String> NAME_LIST_KEYS = List.of("dir", "required");
    static final List<String> DETECTORS = List.of("source-identifier", "chi", "nhs-number", "postcode", "phone", "email", "date", "name", "address");
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._\\-]*");

    /** Default place of the word lists; {@code HAVEN_NAME_LISTS} overrides, then the {@code name-lists.dir} key. */
    static final String DEFAULT_NAME_LIST_DIR = "~/.cache/haven/name-lists";

    final List<Rule> rules = new ArrayList<>();
    final List<AllowRule> allow = new ArrayList<>();
    final List<AttributeKind> kinds = new ArrayList<>();
    String nameListDir;
    boolean nameListsRequired = true; // fail closed: only an explicit 'required: false' lets the gate run without them
    YamlNode nameListNode;
    Path configDir;

    private final Map<String, String> ids = new LinkedHashMap<>();
    private final List<Object[]> pendingAllowRefs = new ArrayList<>();

    /** Loads the rules; name-list rules are bound to a {@link NameDetector} made by {@code names}. */
    static RuleSet load(Path dir, java.util.function.Function<RuleSet, NameDetector> names) {
        if (!Files.isDirectory(dir)) throw new ConfigException(dir, 0, "verification config directory not found");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(dir, 0, "cannot list: " + e.getMessage());
        }
        if (files.isEmpty()) throw new ConfigException(dir, 0, "no *.yaml rule files");
        RuleSet set = new RuleSet();
        set.configDir = dir;
        List<YamlNode[]> ruleNodes = new ArrayList<>();
        for (Path f : files) {
            YamlNode root = YamlNode.load(f);
            if (!root.isMap()) throw root.fail("expected a mapping with keys " + String.join(", ", TOP_KEYS));
            root.allowOnly(TOP_KEYS);
            root.get("name-lists").ifPresent(set::nameLists);
            root.get("rules").ifPresent(n -> {
                for (YamlNode r : n.list()) {
                    if (!r.isMap()) throw r.fail("a rule must be a mapping with an id and a detector or regex");
                    r.allowOnly(RULE_KEYS);
                    set.id(r); // ids in file order, so a duplicate is reported where it comes second
                    ruleNodes.add(new YamlNode[] {r});
                }
            });
            root.get("allow").ifPresent(n -> { for (YamlNode a : n.list()) set.allowRule(a); });
            root.get("attributes").ifPresent(n -> { for (YamlNode a : n.list()) set.attributeKind(a); });
        }
        NameDetector nameDetector = null;
        for (YamlNode[] r : ruleNodes) {
            boolean isName = r[0].isMap() && r[0].get("detector").map(YamlNode::text).orElse("").trim().equals("name");
            if (isName && nameDetector == null) nameDetector = names.apply(set);
            set.rule(r[0], nameDetector);
        }
        set.checkAllowReferences();
        return set;
    }

    private void nameLists(YamlNode n) {
        n.allowOnly(NAME_LIST_KEYS);
        if (nameListNode != null) throw n.fail("'name-lists' is already set in " + nameListNode.file() + ":" + nameListNode.line());
        nameListNode = n;
        nameListDir = n.string("dir", "").trim();
        nameListsRequired = n.bool("required", true);
    }

    private String id(YamlNode n) {
        String id = n.requireString("id").trim();
        if (!ID.matcher(id).matches()) throw n.require("id").fail("id '" + id + "' must be lower case letters, digits, '.', '_' or '-'");
        String first = ids.putIfAbsent(id, n.file() + ":" + n.line());
        if (first != null) throw n.require("id").fail("duplicate id '" + id + "' (first defined at " + first + ")");
        return id;
    }

    private void rule(YamlNode n, NameDetector nameDetector) {
        String id = n.requireString("id").trim();
        if (!n.bool("enabled", true)) return;
        boolean hasDetector = n.get("detector").isPresent(), hasRegex = n.get("regex").isPresent();
        if (hasDetector == hasRegex) throw n.fail("rule '" + id + "' needs exactly one of 'detector' or 'regex'");
        boolean caseSensitive = n.bool("case-sensitive", false);
        Detector detector;
        String classification = n.string("classification", "").trim();
        if (hasRegex) {
            if (classification.isEmpty()) throw n.fail("regex rule '" + id + "' needs a 'classification'");
            detector = new RegexDetector(compile(n.require("regex"), caseSensitive), classification);
        } else {
            String name = n.require("detector").text().trim();
            if (!DETECTORS.contains(name)) throw n.require("detector").fail("unknown detector '" + name + "' (known: " + String.join(", ", DETECTORS) + ")");
            if (n.get("case-sensitive").isPresent()) throw new ConfigException(n.file(), n.keyLine("case-sensitive"), "'case-sensitive' applies to regex rules only");
            detector = switch (name) {
                case "source-identifier" -> new SourceIdentifierDetector(kinds(n));
                case "chi" -> IdNumberDetector.chi();
                case "nhs-number" -> IdNumberDetector.nhs();
                case "postcode" -> new PostcodeDetector();
                case "phone" -> new PhoneDetector();
                case "email" -> new EmailDetector();
                case "date" -> new DateDetector();
                case "address" -> new AddressDetector();
                case "name" -> nameDetector;
                default -> throw new IllegalStateException(name);
            };
            if (classification.isEmpty()) classification = detector.classification();
        }
        if (n.get("known").isPresent() && !(detector instanceof SourceIdentifierDetector)) {
            throw new ConfigException(n.file(), n.keyLine("known"), "'known' applies to the source-identifier detector only");
        }
        if (!ID.matcher(classification).matches()) throw n.fail("classification '" + classification + "' must be lower case letters, digits, '.', '_' or '-'");
        int minLength = n.integer("min-length", 1);
        if (minLength < 1) throw n.require("min-length").fail("'min-length' must be at least 1");
        rules.add(new Rule(id, classification, detector, Scope.parse(n), minLength, n.file() + ":" + n.line()));
    }

    private static Set<String> kinds(YamlNode n) {
        if (n.get("known").isEmpty()) return Set.of();
        Set<String> out = new LinkedHashSet<>();
        for (String k : n.require("known").strings()) {
            if (!KnownIdentifiers.KINDS.contains(k.trim())) {
                throw n.require("known").fail("unknown kind of known value '" + k + "' (known: " + String.join(", ", KnownIdentifiers.KINDS.stream().sorted().toList()) + ")");
            }
            out.add(k.trim());
        }
        return out;
    }

    private void attributeKind(YamlNode n) {
        if (!n.isMap()) throw n.fail("an attributes entry must be a mapping with kind, reason and apply-to");
        n.allowOnly(KIND_KEYS);
        String kind = n.requireString("kind").trim();
        if (!kind.equals(AttributeKind.CODE) && !kind.equals(AttributeKind.FREE_TEXT)) {
            throw n.require("kind").fail("kind must be 'code' or 'free-text', not '" + kind + "'");
        }
        if (n.string("reason", "").isBlank()) throw n.fail("attributes entry needs a 'reason'");
        if (n.get("apply-to").isEmpty() && n.get("vr").isEmpty()) throw n.fail("attributes entry needs 'apply-to' or 'vr'");
        kinds.add(new AttributeKind(kind, Scope.parse(n), n.string("reason", "").trim(), n.file() + ":" + n.line()));
    }

    private void allowRule(YamlNode n) {
        if (!n.isMap()) throw n.fail("an allow entry must be a mapping with an id");
        n.allowOnly(ALLOW_KEYS);
        String id = id(n);
        boolean caseSensitive = n.bool("case-sensitive", false);
        Set<String> values = new HashSet<>();
        n.get("values").ifPresent(v -> {
            for (String s : v.strings()) {
                if (s.isBlank()) throw v.fail("empty value in allow entry '" + id + "'");
                values.add(caseSensitive ? s.trim() : s.trim().toLowerCase(Locale.ROOT));
            }
        });
        Pattern regex = n.get("regex").map(r -> compile(r, caseSensitive)).orElse(null);
        Scope scope = Scope.parse(n);
        boolean scoped = Stream.of("apply-to", "exclude", "vr", "exclude-vr").anyMatch(k -> n.get(k).isPresent());
        if (values.isEmpty() && regex == null && !scoped) {
            throw n.fail("allow entry '" + id + "' needs 'values', 'regex' or a scope (apply-to/vr): otherwise it allows everything");
        }
        Set<String> ruleRefs = new LinkedHashSet<>();
        n.get("rules").ifPresent(r -> {
            ruleRefs.addAll(r.strings().stream().map(String::trim).toList());
            pendingAllowRefs.add(new Object[] {r, ruleRefs});
        });
        allow.add(new AllowRule(id, ruleRefs, scope, Set.copyOf(values), regex, caseSensitive));
    }

    @SuppressWarnings("unchecked")
    private void checkAllowReferences() {
        Set<String> known = new HashSet<>();
        for (Rule r : rules) { known.add(r.id()); known.add(r.classification()); }
        known.addAll(ids.keySet()); // disabled rules are still names one may refer to
        known.addAll(Classifications.BY_SEVERITY);
        for (Object[] p : pendingAllowRefs) {
            for (String ref : (Set<String>) p[1]) {
                if (!known.contains(ref)) throw ((YamlNode) p[0]).fail("allow entry refers to unknown rule or classification '" + ref + "'");
            }
        }
    }

    private static Pattern compile(YamlNode n, boolean caseSensitive) {
        String re = n.text();
        if (re.isEmpty()) throw n.fail("empty regex");
        try {
            return Pattern.compile(re, caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw n.fail("bad regex: " + e.getDescription() + " near index " + e.getIndex() + " in " + re);
        }
    }
}

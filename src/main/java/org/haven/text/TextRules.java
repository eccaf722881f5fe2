package org.haven.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.haven.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Haven's one set of identifier detectors in text: the rules, allowlist and attribute scopes of
 * {@code config/verify/*.yaml} ({@link RuleSet}) bound to the detectors of this package. The verification gate
 * ({@code verify.Verifier}) reports what {@link #find} returns; the text cleaner ({@code deidentify.TextCleaner})
 * removes it. So what the gate can find, the cleaner can remove, and a rule fixed once is fixed for both.
 * Thread-safe once loaded.
 */
public final class TextRules {
    private static final Logger LOG = LoggerFactory.getLogger(TextRules.class);

    /**
     * One suspicious span [start, end) of a field's text: the rule that found it (id and {@code file:line}), its
     * classification, and for the source cross-match the kind of known value ({@code label}, else null).
     * {@code all} is false for spans inside a more serious or longer one (the gate reports only the others).
     */
    public record Hit(String ruleId, String where, String classification, String label, int start, int end, boolean reported) {}

    private final List<Rule> rules;
    private final List<AllowRule> allow;
    private final List<AttributeKind> kinds;
    private final NameLists nameLists;

    private TextRules(RuleSet set, NameLists nameLists) {
        this.rules = List.copyOf(set.rules);
        this.allow = List.copyOf(set.allow);
        this.kinds = List.copyOf(set.kinds);
        this.nameLists = nameLists;
    }

    /** Loads {@code dir/*.yaml}; the name lists from the configured directory (absent lists: context rules only). */
    public static TextRules load(Path dir) {
        NameLists[] loaded = {NameLists.EMPTY};
        RuleSet set = RuleSet.load(dir, rs -> {
            loaded[0] = loadNameLists(rs);
            return new NameDetector(loaded[0]);
        });
        return new TextRules(set, loaded[0]);
    }

    /** Loads the rules with the given name lists (tests; callers that manage lists themselves). */
    public static TextRules load(Path dir, NameLists lists) {
        RuleSet set = RuleSet.load(dir, rs -> new NameDetector(lists));
        return new TextRules(set, lists);
    }

    static Path nameListDir(RuleSet rs) {
        String env = System.getenv("HAVEN_NAME_LISTS");
        String dir = env != null && !env.isBlank() ? env : rs.nameListDir != null && !rs.nameListDir.isBlank() ? rs.nameListDir : RuleSet.DEFAULT_NAME_LIST_DIR;
        if (dir.equals("~") || dir.startsWith("~/")) dir = System.getProperty("user.home") + dir.substring(1);
        return Path.of(dir);
    }

    private static NameLists loadNameLists(RuleSet rs) {
        Path dir = nameListDir(rs);
        NameLists lists;
        try {
            lists = NameLists.load(dir);
        } catch (IOException e) {
            lists = NameLists.EMPTY;
        }
        if (!lists.present()) {
            if (rs.nameListsRequired) {
                String why = "name lists required but not found in " + dir + " (run scripts/fetch-name-lists.sh; or set"
                        + " 'name-lists: required: false' to run the name detector on context rules only)";
                if (rs.nameListNode == null) throw new ConfigException(rs.configDir, 0, why);
                throw new ConfigException(rs.nameListNode.file(), rs.nameListNode.line(), why);
            }
            LOG.warn("text: name lists not found in {}: the name detector uses context rules only (titles, SURNAME^GIVEN, PN values); "
                    + "run scripts/fetch-name-lists.sh to fetch them", dir);
        } else {
            LOG.info("text: name lists from {}: {} first names, {} names", dir, lists.firstNames().size(), lists.peopleNames().size());
        }
        return lists;
    }

    /** Whether the name detector has its word lists (false: context rules only). */
    public boolean hasNameLists() { return nameLists.present(); }

    public NameLists nameLists() { return nameLists; }

    /** Ids of the active rules, in order. */
    public List<String> ruleIds() { return rules.stream().map(Rule::id).toList(); }

    /** Whether the attribute scopes ({@code attributes:} in config/verify) say this field holds free text. */
    public boolean isFreeText(Field f) {
        for (AttributeKind k : kinds) if (k.scope().matches(f)) return k.kind().equals(AttributeKind.FREE_TEXT);
        return false;
    }

    private boolean isCode(Field f) {
        for (AttributeKind k : kinds) if (k.scope().matches(f)) return k.kind().equals(AttributeKind.CODE);
        return false;
    }

    /** A report rule by id and classification. */
    public record RuleRef(String id, String classification) {}

    /** Every report rule whose detector fires on the field's text, allowlists ignored (for the review UI). */
    public List<RuleRef> rulesMatching(Field f) {
        List<RuleRef> out = new ArrayList<>();
        List<Detector.Span> spans = new ArrayList<>();
        for (Rule rule : rules) {
            if (!rule.scope().matches(f)) continue;
            spans.clear();
            try {
                rule.detector().detect(f.text(), new Detector.Context(f, KnownIdentifiers.none(), w -> false), spans);
            } catch (RuntimeException e) {
                continue;
            }
            if (spans.stream().anyMatch(s -> s.end() - s.start() >= rule.minLength())) out.add(new RuleRef(rule.id(), rule.classification()));
        }
        return out;
    }

    /** The report rule with this id. */
    public java.util.Optional<RuleRef> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst().map(r -> new RuleRef(r.id(), r.classification()));
    }

    /** Whether an allowlist entry with explicit values or regex, in scope for this field, allows the word. */
    public boolean allowsWord(Field f, String word) {
        for (AllowRule a : allow) {
            if (a.scope().matches(f) && a.allowsWord(word)) return true;
        }
        return false;
    }

    private record Candidate(Rule rule, int order, int start, int end, String label) {}

    /**
     * Where a field is (its text aside): all that decides which rules and allow entries apply to it. A cache key
     * looked up for every value scanned or cleaned: hashed once, on the path and VR only (the path names the
     * elements), compared on all three.
     */
    private static final class Where {
        final List<Field.Element> elements;
        final String path, vr;
        final int hash;

        Where(List<Field.Element> elements, String path, String vr) {
            this.elements = elements;
            this.path = path;
            this.vr = vr;
            this.hash = java.util.Objects.hashCode(path) * 31 + java.util.Objects.hashCode(vr);
        }

        @Override public int hashCode() { return hash; }

        @Override public boolean equals(Object o) {
            return o instanceof Where w && hash == w.hash && java.util.Objects.equals(path, w.path) && java.util.Objects.equals(vr, w.vr)
                && java.util.Objects.equals(elements, w.elements);
        }
    }

    /** The rules that apply at one place, each with its allow entries and word predicate (independent of the text). */
    private record Plan(List<Applicable> rules) {}

    private record Applicable(int order, Rule rule, List<AllowRule> allow, java.util.function.Predicate<String> wordAllowed) {
        boolean source() { return rule.detector() instanceof SourceIdentifierDetector; }
    }

    /** A place and a text (the key of what the text-only detectors found there), hashed once. */
    private static final class Seen {
        final Where where;
        final String text;
        final int hash;

        Seen(Where where, String text) {
            this.where = where;
            this.text = text;
            this.hash = where.hash * 31 + text.hashCode();
        }

        @Override public int hashCode() { return hash; }

        @Override public boolean equals(Object o) {
            return o instanceof Seen x && hash == x.hash && text.equals(x.text) && where.equals(x.where);
        }
    }

    /**
     * Bounded caches (cleared when full), per loaded rule set. The places recur in every file (the same attributes),
     * and so do most short values (ImageType, descriptions, protocol names, codes): what the detectors other than
     * the source cross-match find in a value depends only on the place and the text, never on the file.
     */
    private static final int CACHE_ENTRIES = 8192;
    private static final int CACHED_TEXT_MAX = 256;
    private final Map<Where, Plan> plans = new ConcurrentHashMap<>();
    private final Map<Seen, List<Candidate>> found = new ConcurrentHashMap<>();

    private Plan plan(Field f, Where where) {
        Plan p = plans.get(where);
        if (p != null) return p;
        boolean code = isCode(f);
        List<Applicable> out = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            if (code && !(rule.detector() instanceof SourceIdentifierDetector)) continue; // codes: only the file's own identifiers
            if (!rule.scope().matches(f)) continue;
            List<AllowRule> applicable = new ArrayList<>();
            for (AllowRule a : allow) if (a.appliesTo(rule, f)) applicable.add(a);
            List<AllowRule> fixed = List.copyOf(applicable);
            out.add(new Applicable(r, rule, fixed, word -> {
                for (AllowRule a : fixed) if (a.allowsWord(word)) return true;
                return false;
            }));
        }
        p = new Plan(List.copyOf(out));
        if (plans.size() >= CACHE_ENTRIES) plans.clear();
        plans.put(where, p);
        return p;
    }

    /**
     * Every span the rules find in one field, most serious first within a position; a detector that fails is a hit
     * of its own (classification {@code verifier-error}, the whole text), never a silent pass.
     */
    public List<Hit> find(Field f, KnownIdentifiers known) {
        String text = f.text();
        if (text == null || text.isBlank()) return List.of();
        if (known == null) known = KnownIdentifiers.none();
        String masked = known.maskAllowed(text);
        Where where = new Where(f.elements(), f.path(), f.vr());
        Plan plan = plan(f, where);
        // masked == text: no allowed value in it, so what the text-only rules find is the same in any file
        Seen seen = masked.equals(text) && text.length() <= CACHED_TEXT_MAX ? new Seen(where, text) : null;
        List<Candidate> textOnly = seen == null ? null : found.get(seen);
        List<Candidate> candidates = new ArrayList<>();
        if (textOnly != null) candidates.addAll(textOnly);
        List<Hit> errors = new ArrayList<>();
        List<Detector.Span> spans = new ArrayList<>();
        for (Applicable a : plan.rules()) {
            if (textOnly != null && !a.source()) continue;
            detect(a, f, known, text, masked, spans, candidates, errors);
        }
        if (seen != null && textOnly == null && errors.isEmpty()) {
            List<Candidate> keep = new ArrayList<>();
            for (Candidate c : candidates) if (!(c.rule().detector() instanceof SourceIdentifierDetector)) keep.add(c);
            if (found.size() >= CACHE_ENTRIES) found.clear();
            found.put(seen, List.copyOf(keep));
        }
        if (candidates.isEmpty()) return errors;
        // Most serious first; a hit inside (or equal to) an already kept span of the same field is the same text.
        candidates.sort(Comparator.comparingInt((Candidate c) -> Classifications.rank(c.rule().classification()))
                .thenComparingInt(Candidate::order).thenComparingInt(Candidate::start).thenComparingInt(c -> -(c.end() - c.start())));
        List<Candidate> kept = new ArrayList<>();
        List<Hit> out = new ArrayList<>(errors);
        for (Candidate c : candidates) {
            boolean inside = false;
            for (Candidate k : kept) if (c.start() >= k.start() && c.end() <= k.end()) { inside = true; break; }
            if (!inside) kept.add(c);
            out.add(new Hit(c.rule().id(), c.rule().where(), c.rule().classification(), c.label(), c.start(), c.end(), !inside));
        }
        out.sort(Comparator.comparingInt(Hit::start).thenComparingInt(h -> -(h.end() - h.start())));
        return out;
    }

    private static void detect(Applicable a, Field f, KnownIdentifiers known, String text, String masked, List<Detector.Span> spans,
                               List<Candidate> candidates, List<Hit> errors) {
        Rule rule = a.rule();
        spans.clear();
        try {
            rule.detector().detect(masked, new Detector.Context(f, known, a.wordAllowed()), spans);
        } catch (RuntimeException e) {
            errors.add(new Hit(rule.id(), rule.where(), "verifier-error", e.getClass().getSimpleName(), 0, text.length(), true));
            return;
        }
        for (Detector.Span s : spans) {
            if (s.end() - s.start() < rule.minLength()) continue;
            String matched = text.substring(s.start(), s.end());
            boolean allowed = false;
            for (AllowRule r : a.allow()) if (r.allowsText(matched)) { allowed = true; break; }
            if (!allowed) candidates.add(new Candidate(rule, a.order(), s.start(), s.end(), s.label()));
        }
    }
}

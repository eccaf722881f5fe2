package org.haven.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;

import org.haven.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification gate: scans a de-identified dataset, and any OCR text of its pixels, for residual identifiers.
 * Rules come from {@code config/verify/*.yaml}; see {@link RuleSet}. Thread-safe once loaded.
 * <p>Scanned: every text value (AE AS CS DA DT LO LT PN SH ST TM UC UR UT UI, and UN values that decode as text),
 * recursively through sequences, private attributes included; never numeric or binary VRs (DS IS US FD … OB OW),
 * private creator elements, group lengths or pixel data. Which rule looks at which VR and attribute is configured
 * (the shipped rules skip UI for CHI, DA/DT/TM for dates, code values, …).
 */
public final class Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    /** Classification of findings that say the gate could not look (an unreadable value, a detector failure). */
    static final String VERIFIER_ERROR = "verifier-error";
    private static final Set<String> TEXT_VRS = Set.of("AE", "AS", "CS", "DA", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UR", "UT", "UI");

    private final List<Rule> rules;
    private final List<AllowRule> allow;
    private final NameLists nameLists;

    private Verifier(RuleSet set, NameLists nameLists) {
        this.rules = List.copyOf(set.rules);
        this.allow = List.copyOf(set.allow);
        this.nameLists = nameLists;
    }

    /** Loads {@code dir/*.yaml}; the name lists from the configured directory (absent lists: context rules only). */
    public static Verifier load(Path verifyConfigDir) {
        NameLists[] loaded = {NameLists.EMPTY};
        RuleSet set = RuleSet.load(verifyConfigDir, rs -> {
            loaded[0] = loadNameLists(rs);
            return new NameDetector(loaded[0]);
        });
        return new Verifier(set, loaded[0]);
    }

    /** Loads the rules with the given name lists (tests; callers that manage lists themselves). */
    public static Verifier load(Path verifyConfigDir, NameLists lists) {
        RuleSet set = RuleSet.load(verifyConfigDir, rs -> new NameDetector(lists));
        return new Verifier(set, lists);
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
            LOG.warn("verify: name lists not found in {}: the name detector uses context rules only (titles, SURNAME^GIVEN, PN values); "
                    + "run scripts/fetch-name-lists.sh to fetch them", dir);
        } else {
            LOG.info("verify: name lists from {}: {} first names, {} names", dir, lists.firstNames().size(), lists.peopleNames().size());
        }
        return lists;
    }

    /** Whether the name detector has its word lists (false: context rules only). */
    public boolean hasNameLists() { return nameLists.present(); }

    /** Ids of the active report rules, in order. */
    public List<String> ruleIds() { return rules.stream().map(Rule::id).toList(); }

    /** Scans against the source's identifiers; values in {@link KnownIdentifiers#allowedValues()} are skipped. */
    public VerificationReport scan(AttributeList deidentified, KnownIdentifiers source, List<OcrText> ocr) {
        KnownIdentifiers known = source == null ? KnownIdentifiers.none() : source;
        List<Finding> findings = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        // fail closed: a source identifier the gate cannot decode, or an output value it cannot read, is a finding
        for (String path : known.undecodable()) findings.add(new Finding(VERIFIER_ERROR, "source-identifier", path, 0, "undecodable source value"));
        if (deidentified != null) walk(deidentified, List.of(), "", fields, findings);
        if (ocr != null) {
            for (OcrText t : ocr) {
                if (t == null || t.text() == null || t.text().isBlank()) continue;
                fields.add(new Field(List.of(new Field.Element(-1, -1, "OCR", false)), t.path(), "OCR", t.text()));
            }
        }
        for (Field f : fields) scanField(f, known, findings);
        return new VerificationReport(findings);
    }

    /** As {@link #scan(AttributeList, KnownIdentifiers, List)}, also letting {@code allowedValues} (the pseudonym…) through. */
    public VerificationReport scan(AttributeList deidentified, KnownIdentifiers source, List<OcrText> ocr, Collection<String> allowedValues) {
        KnownIdentifiers known = source == null ? KnownIdentifiers.none() : source;
        return scan(deidentified, allowedValues == null ? known : known.withAllowedValues(allowedValues), ocr);
    }

    /** Scans one piece of text as if it were the value of an attribute (keyword or "OCR") with this VR; numeric and binary VRs are not scanned. */
    public VerificationReport scanText(String keyword, String vr, String text, KnownIdentifiers source) {
        List<Finding> findings = new ArrayList<>();
        if (!TEXT_VRS.contains(vr) && !"UN".equals(vr) && !"OCR".equals(vr)) return new VerificationReport(findings); // numeric, binary
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        Field.Element el = tag == null ? new Field.Element(-1, -1, keyword, false) : new Field.Element(tag.getGroup(), tag.getElement(), keyword, tag.isPrivate());
        scanField(new Field(List.of(el), keyword, vr, text), source == null ? KnownIdentifiers.none() : source, findings);
        return new VerificationReport(findings);
    }

    private record Candidate(Rule rule, int order, int start, int end) {}

    private void scanField(Field f, KnownIdentifiers known, List<Finding> findings) {
        String text = f.text();
        if (text == null || text.isBlank()) return;
        String masked = known.maskAllowed(text);
        List<Candidate> candidates = new ArrayList<>();
        List<Detector.Span> spans = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            if (!rule.scope().matches(f)) continue;
            List<AllowRule> applicable = new ArrayList<>();
            for (AllowRule a : allow) if (a.appliesTo(rule, f)) applicable.add(a);
            spans.clear();
            Detector.Context ctx = new Detector.Context(f, known, word -> {
                for (AllowRule a : applicable) if (a.allowsWord(word)) return true;
                return false;
            });
            try {
                rule.detector().detect(masked, ctx, spans);
            } catch (RuntimeException e) {
                // A detector bug must not let a file through unscanned: report it as a finding of its own.
                findings.add(new Finding(VERIFIER_ERROR, rule.id(), f.path(), 0, e.getClass().getSimpleName()));
                continue;
            }
            for (Detector.Span s : spans) {
                if (s.end() - s.start() < rule.minLength()) continue;
                String matched = text.substring(s.start(), s.end());
                boolean allowed = false;
                for (AllowRule a : applicable) if (a.allowsText(matched)) { allowed = true; break; }
                if (!allowed) candidates.add(new Candidate(rule, r, s.start(), s.end()));
            }
        }
        if (candidates.isEmpty()) return;
        // Most serious first; a finding inside (or equal to) an already kept span of the same field is the same text.
        candidates.sort(Comparator.comparingInt((Candidate c) -> Classifications.rank(c.rule().classification()))
                .thenComparingInt(Candidate::order).thenComparingInt(Candidate::start).thenComparingInt(c -> -(c.end() - c.start())));
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : candidates) {
            boolean inside = false;
            for (Candidate k : kept) if (c.start() >= k.start() && c.end() <= k.end()) { inside = true; break; }
            if (!inside) kept.add(c);
        }
        kept.sort(Comparator.comparingInt(Candidate::start).thenComparingInt(Candidate::order));
        for (Candidate c : kept) {
            findings.add(new Finding(c.rule().classification(), c.rule().id(), f.path(), c.start(), text.substring(c.start(), c.end())));
        }
    }

    // ---- walking the dataset ----

    private static void walk(AttributeList list, List<Field.Element> parent, String prefix, List<Field> out, List<Finding> errors) {
        for (Iterator<Map.Entry<AttributeTag, Attribute>> it = list.entrySet().iterator(); it.hasNext(); ) {
            Attribute a = it.next().getValue();
            AttributeTag tag = a.getTag();
            if (tag.isGroupLength() || tag.isPrivateCreator() || tag.equals(TagFromName.PixelData)) continue;
            String name = tag.isPrivate() ? null : DicomDictionary.StandardDictionary.getNameFromTag(tag);
            if (name == null) name = String.format("(%04X,%04X)", tag.getGroup(), tag.getElement());
            List<Field.Element> elements = new ArrayList<>(parent);
            elements.add(new Field.Element(tag.getGroup(), tag.getElement(), name, tag.isPrivate()));
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            if (a instanceof SequenceAttribute seq) {
                int i = 0;
                for (Iterator<SequenceItem> items = seq.iterator(); items.hasNext(); ) {
                    i++;
                    SequenceItem item = items.next();
                    AttributeList l = item == null ? null : item.getAttributeList();
                    if (l != null) walk(l, elements, path + "[" + i + "]", out, errors);
                }
                continue;
            }
            String vr = a.getVRAsString();
            String text;
            try {
                text = text(a, vr);
            } catch (DicomException | RuntimeException e) {
                errors.add(new Finding(VERIFIER_ERROR, "read", path, 0, "unreadable value: " + e.getClass().getSimpleName()));
                continue;
            }
            if (text != null && !text.isBlank()) out.add(new Field(List.copyOf(elements), path, vr, text));
        }
    }

    /**
     * The value as text, multiple values joined with backslash; null for VRs that are never scanned. A value that
     * cannot be read throws: the caller reports it (an attribute the gate cannot read is never skipped).
     */
    static String text(Attribute a, String vr) throws DicomException {
        if (TEXT_VRS.contains(vr)) {
            String[] v = a.getStringValues();
            if (v == null || v.length == 0) return null;
            return String.join("\\", v);
        }
        if ("UN".equals(vr)) return printable(a.getByteValues());
        return null;
    }

    /** UN bytes as text when they look like text (printable, maybe NUL/space padded), else null. */
    static String printable(byte[] b) {
        if (b == null || b.length == 0) return null;
        int n = b.length;
        while (n > 0 && (b[n - 1] == 0 || b[n - 1] == ' ')) n--;
        if (n == 0) return null;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1b) return null;
            if (c == 0x7f) return null;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8).replace('\uFFFD', '?');
    }
}

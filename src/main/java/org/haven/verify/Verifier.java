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
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;

import org.haven.text.Field;
import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import org.haven.text.TextRules;

/**
 * The verification gate: scans a de-identified dataset, and any OCR text of its pixels, for residual identifiers.
 * Rules come from {@code config/verify/*.yaml}; see {@link RuleSet}. Thread-safe once loaded.
 * <p>Scanned: every text value (AE AS CS DA DT LO LT PN SH ST TM UC UR UT UI, and UN values that decode as text),
 * recursively through sequences, private attributes included; never numeric or binary VRs (DS IS US FD … OB OW),
 * private creator elements, group lengths or pixel data. Which rule looks at which VR and attribute is configured
 * (the shipped rules skip UI for CHI, DA/DT/TM for dates, code values, …).
 */
public final class Verifier {
    private static final Pattern ITEM_INDEX = Pattern.compile("\\[\\d+\\]$");
    /** Classification of findings that say the gate could not look (an unreadable value, a detector failure). */
    static final String VERIFIER_ERROR = "verifier-error";
    private static final Set<String> TEXT_VRS = Set.of("AE", "AS", "CS", "DA", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UR", "UT", "UI");

    private final TextRules rules;

    private Verifier(TextRules rules) { this.rules = rules; }

    /** Loads {@code dir/*.yaml}; the name lists from the configured directory (absent lists: context rules only). */
    public static Verifier load(Path verifyConfigDir) { return new Verifier(TextRules.load(verifyConfigDir)); }

    /** Loads the rules with the given name lists (tests; callers that manage lists themselves). */
    public static Verifier load(Path verifyConfigDir, NameLists lists) { return new Verifier(TextRules.load(verifyConfigDir, lists)); }

    /** The gate over rules already loaded (the same instance the text cleaner uses). */
    public static Verifier of(TextRules rules) { return new Verifier(rules); }

    /** The detectors this gate runs (shared with the text cleaner). */
    public TextRules rules() { return rules; }

    /** Whether the name detector has its word lists (false: context rules only). */
    public boolean hasNameLists() { return rules.hasNameLists(); }

    /** Ids of the active report rules, in order. */
    public List<String> ruleIds() { return rules.ruleIds(); }

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
        for (Field f : fields) {
            if (f.text() == EmbeddedText.TOO_LONG) findings.add(new Finding("unscannable", "embedded-text", f.path(), 0, ""));
            else scanField(f, known, findings);
        }
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

    /** A rule by id and classification (what the review UI needs to know about the rules a text triggers). */
    public record RuleRef(String id, String classification) {}

    /**
     * Every report rule that fires on {@code text} as (part of) the value of the attribute at {@code attributePath}
     * (its last keyword and dictionary VR; "OCR…" for text read from pixels), allowlists ignored. The gate keeps only
     * the most serious finding per span, so an allowlist entry for one finding must name all of these.
     */
    public List<RuleRef> rulesMatching(String attributePath, String text) {
        if (text == null || text.isBlank()) return List.of();
        return rules.rulesMatching(fieldFor(attributePath, text)).stream().map(r -> new RuleRef(r.id(), r.classification())).toList();
    }

    /** The rule with this id, if it is a report rule of the gate (OCR pixel-text findings name no gate rule). */
    public java.util.Optional<RuleRef> rule(String id) {
        return rules.rule(id).map(r -> new RuleRef(r.id(), r.classification()));
    }

    /** Whether an allowlist entry with explicit values or regex, scoped to OCR text, allows this word read from the pixels. */
    public boolean allowsOcrWord(String text) {
        if (text == null || text.isBlank()) return false;
        return rules.allowsWord(fieldFor("OCR", text), text);
    }

    private static Field fieldFor(String attributePath, String text) {
        String path = attributePath == null || attributePath.isBlank() ? "OCR" : attributePath;
        if (path.startsWith("OCR")) return new Field(List.of(new Field.Element(-1, -1, "OCR", false)), path, "OCR", text);
        String keyword = path.substring(path.lastIndexOf('.') + 1);
        keyword = ITEM_INDEX.matcher(keyword).replaceAll("");
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (tag == null) return new Field(List.of(new Field.Element(-1, -1, keyword, keyword.startsWith("("))), path, "UN", text);
        byte[] vr = DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag);
        String vrs = vr == null ? "UN" : new String(vr, StandardCharsets.US_ASCII);
        return new Field(List.of(new Field.Element(tag.getGroup(), tag.getElement(), keyword, tag.isPrivate())), path, vrs, text);
    }

    private void scanField(Field f, KnownIdentifiers known, List<Finding> findings) {
        for (TextRules.Hit h : rules.find(f, known)) {
            if (!h.reported()) continue;
            String matched = h.classification().equals("verifier-error") ? h.label() : f.text().substring(h.start(), h.end());
            findings.add(new Finding(h.classification(), h.ruleId(), f.path(), h.classification().equals("verifier-error") ? 0 : h.start(), matched));
        }
    }

    // ---- walking the dataset ----

    private static void walk(AttributeList list, List<Field.Element> parent, String prefix, List<Field> out, List<Finding> errors) {
        for (Iterator<Map.Entry<AttributeTag, Attribute>> it = list.entrySet().iterator(); it.hasNext(); ) {
            Attribute a = it.next().getValue();
            AttributeTag tag = a.getTag();
            if (tag.isGroupLength() || tag.isPrivateCreator() || tag.equals(TagFromName.PixelData)) continue;
            String name = tag.isPrivate() ? null : org.haven.dicom.Keywords.of(tag);
            if (name == null) name = org.haven.dicom.TagText.of(tag.getGroup(), tag.getElement());
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            if (a instanceof SequenceAttribute seq) {
                List<Field.Element> elements = elements(parent, tag, name);
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
            if (text == null && tag.isPrivate() && BINARY_VRS.contains(vr)) {
                // a kept private blob (Siemens CSA header, XA protocol, GE protocol block): scan the text inside it
                byte[] blob;
                try {
                    blob = bytesOf(a);
                } catch (DicomException | RuntimeException e) {
                    errors.add(new Finding(VERIFIER_ERROR, "read", path, 0, "unreadable value: " + e.getClass().getSimpleName()));
                    continue;
                }
                text = EmbeddedText.of(blob);
                vr = "OB"; // rules see it as OB: config/verify/detectors.yaml decides which detectors look inside blobs
            }
            if (text != null && !text.isBlank()) out.add(new Field(elements(parent, tag, name), path, vr, text));
        }
    }

    /** The path's elements down to this attribute (built only for what is scanned or descended into). */
    private static List<Field.Element> elements(List<Field.Element> parent, AttributeTag tag, String name) {
        Field.Element[] e = parent.toArray(new Field.Element[parent.size() + 1]);
        e[parent.size()] = new Field.Element(tag.getGroup(), tag.getElement(), name, tag.isPrivate());
        return List.of(e);
    }

    private static final Set<String> BINARY_VRS = Set.of("OB", "OW", "UN");

    /** The bytes of a binary value; OW as stored little endian (PixelMed's OW attribute keeps 16-bit words). */
    private static byte[] bytesOf(Attribute a) throws DicomException {
        if (a instanceof com.pixelmed.dicom.OtherWordAttribute w) {
            short[] s = w.getShortValues();
            if (s == null) return new byte[0];
            byte[] b = new byte[s.length * 2];
            for (int i = 0; i < s.length; i++) {
                b[2 * i] = (byte) s[i];
                b[2 * i + 1] = (byte) (s[i] >> 8);
            }
            return b;
        }
        byte[] b = a.getByteValues();
        return b == null ? new byte[0] : b;
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

package org.haven.deidentify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.ShortStringAttribute;
import org.haven.dicom.AttributeText;

/**
 * Applies a {@link Profile} in place to a dataset header, recursively into sequences.
 *
 * <p>Per attribute, in this order:
 * <ol>
 *   <li>Pixel data ((7FE0,0008/0009/0010)) is never touched: the caller streams it.</li>
 *   <li>Private attributes (odd groups): the profile's {@code private} rule. {@code X} removes them all;
 *       {@code C}/{@code keep-safe} keeps only elements on the safe-private allowlist, matched by the private creator
 *       actually reserving the block in this dataset, and the creator elements of blocks that keep something.</li>
 *   <li>Group lengths (gggg,0000) outside the file meta group are removed (they would be stale).</li>
 *   <li>The profile's rule for the tag (exact, then wildcard).</li>
 *   <li>Unlisted UI attributes: remapped with the {@link UidRemapper}, except values under the DICOM root
 *       {@code 1.2.840.10008.} (standard SOP classes, transfer syntaxes, ... are never instance UIDs).</li>
 *   <li>Other unlisted attributes: the profile's {@code unlisted} rule (basic: keep). Inside a sequence being
 *       <em>cleaned</em> (action C on a sequence), unlisted free text (LO, SH, LT, ST, UT, UC, PN) is clean-text'ed.</li>
 * </ol>
 * Sequences that stay (keep, dummy, uid, clean) have their items processed with the same profile, so nested
 * UIDs, names and dates get the same treatment as top-level ones (e.g. ReferencedSOPInstanceUID maps to the
 * same value as the referenced file's SOPInstanceUID).
 *
 * <p>How actions resolve by VR: {@code dummy} writes a VR-appropriate dummy (PN/LO/SH/CS... "ANONYMOUS",
 * DA 19000101, TM 000000, numbers 0; UI are remapped; binary values are emptied; sequences are kept and processed).
 * {@code clean} (the standard's C): sequences are kept and cleaned inside, free text is clean-text'ed, AE titles are
 * hashed, dates shifted, other values (coded, numeric, binary such as overlay data) kept.
 *
 * <p>Finally adds PatientIdentityRemoved=YES, DeidentificationMethod, DeidentificationMethodCodeSequence (CID 7050)
 * and LongitudinalTemporalInformationModified. Thread-safe (no mutable state); one instance per profile.
 */
public final class Deidentifier {
    static final DicomDictionary DICT = AttributeList.getDictionary();
    private static final String DICOM_ROOT = "1.2.840.10008.";
    private static final AttributeTag PATIENT_IDENTITY_REMOVED = new AttributeTag(0x0012, 0x0062);
    private static final AttributeTag DEID_METHOD = new AttributeTag(0x0012, 0x0063);
    private static final AttributeTag DEID_METHOD_CODES = new AttributeTag(0x0012, 0x0064);
    private static final AttributeTag LONGITUDINAL = new AttributeTag(0x0028, 0x0303);
    private static final AttributeTag CODE_VALUE = new AttributeTag(0x0008, 0x0100);
    private static final AttributeTag REFERENCED_STUDY_SEQUENCE = new AttributeTag(0x0008, 0x1110);
    private static final AttributeTag CODING_SCHEME = new AttributeTag(0x0008, 0x0102);
    private static final AttributeTag CODE_MEANING = new AttributeTag(0x0008, 0x0104);
    private static final String MARK_SOURCE = "(Haven: PS3.15 E.1.1 de-identification markers)";

    /** Tags whose values are identifiers to scrub from free text (besides every PN value and the birth date). */
    private static final Set<Integer> ID_TAGS = Set.of(
            0x00100020, // PatientID
            0x00101000, // OtherPatientIDs
            0x00080050, // AccessionNumber
            0x00200010, // StudyID
            0x00380010, // AdmissionID
            0x00401001, // RequestedProcedureID
            0x00400009, // ScheduledProcedureStepID
            0x00400253, // PerformedProcedureStepID
            0x00402016, // PlacerOrderNumberImagingServiceRequest
            0x00402017, // FillerOrderNumberImagingServiceRequest
            0x00101090); // MedicalRecordLocator
    private static final int BIRTH_DATE = 0x00100030;

    private final Profile profile;
    private final TextCleaner cleaner;

    /** With the standard text cleaner ({@link TextCleaner#standard()}). */
    public Deidentifier(Profile profile) { this(profile, TextCleaner.standard()); }

    public Deidentifier(Profile profile, TextCleaner cleaner) {
        if (profile == null) throw new IllegalArgumentException("profile is required");
        this.profile = profile;
        this.cleaner = cleaner == null ? TextCleaner.standard() : cleaner;
    }

    public Profile profile() { return profile; }

    /**
     * Applies the profile in place to a dataset header: every attribute before PixelData (and any after it the caller
     * passes). PixelData itself is never touched here (the caller streams it). Recursive into sequences.
     *
     * @throws DeidentificationException when the dataset cannot be modified (names the attribute, never its value)
     */
    public DeidResult apply(AttributeList list, DeidContext ctx) {
        TextCleaner.FileIds ids = gatherIdentifiers(list);
        List<AppliedAction> out = new ArrayList<>();
        Set<Integer> overlays = overlayGroupsWithData(list);
        walk(list, "", ctx, ids, out, false);
        removeOrphanedOverlayPlanes(list, overlays, out);
        try {
            addMissingPseudonyms(list, ctx, out);
            mark(list, out);
        } catch (DicomException e) {
            throw new DeidentificationException("cannot add de-identification markers", e);
        }
        return new DeidResult(profile.name(), out, ids.known());
    }

    /** Appends a method code (e.g. 113101 Clean Pixel Data, added by the pixel stage) to DeidentificationMethodCodeSequence. */
    public static void addMethodCode(AttributeList list, String codeValue) {
        try {
            Attribute a = list.get(DEID_METHOD_CODES);
            SequenceAttribute seq;
            if (a instanceof SequenceAttribute s) {
                seq = s;
            } else {
                seq = new SequenceAttribute(DEID_METHOD_CODES);
                list.put(seq);
            }
            for (int i = 0; i < seq.getNumberOfItems(); i++) {
                Attribute v = seq.getItem(i).getAttributeList().get(CODE_VALUE);
                if (v != null && codeValue.equals(v.getSingleStringValueOrEmptyString())) return;
            }
            seq.addItem(codeItem(codeValue));
        } catch (DicomException e) {
            throw new DeidentificationException("cannot add method code " + codeValue, e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private void walk(AttributeList list, String prefix, DeidContext ctx, TextCleaner.FileIds ids,
                      List<AppliedAction> out, boolean cleanInside) {
        Set<AttributeTag> keptPrivate = profile.privateRule().action() == Action.CLEAN ? safePrivateTags(list) : Set.of();
        for (AttributeTag tag : new ArrayList<>(list.keySet())) {
            Attribute a = list.get(tag);
            if (a == null) continue;
            int g = tag.getGroup(), e = tag.getElement();
            if (g == 0x7FE0 && (e == 0x0010 || e == 0x0008 || e == 0x0009)) continue;
            String vr = a.getVRAsString();
            String keyword = keyword(tag);
            String path = prefix + keyword;
            try {
                if ((g & 1) == 1) {
                    Rule pr = profile.privateRule();
                    if (keptPrivate.contains(tag)) {
                        Rule keep = new Rule("private", pr.code(), Action.KEEP, null, sourceOf(pr, profile.safePrivate()));
                        if (a instanceof SequenceAttribute) {
                            record(out, ctx, path, tag, keyword, keep, "keep", a, a, false);
                            recurse(a, path, ctx, ids, out, cleanInside);
                        } else {
                            applyRule(list, a, tag, vr, keyword, path, keep, ctx, ids, out, cleanInside);
                        }
                    } else {
                        String before = ctx.explain() ? show(a) : null;
                        list.remove(tag);
                        out.add(new AppliedAction(path, tagText(tag), keyword, "remove", pr.code(), pr.source(), before, null, true));
                    }
                    continue;
                }
                if (e == 0x0000 && g != 0x0002) {
                    String before = ctx.explain() ? show(a) : null;
                    list.remove(tag);
                    out.add(new AppliedAction(path, tagText(tag), keyword, "remove", "-", "(default: group lengths are recomputed on write)", before, null, true));
                    continue;
                }
                Rule rule = profile.ruleFor(tag);
                if (rule == null) rule = defaultRule(a, vr, cleanInside);
                applyRule(list, a, tag, vr, keyword, path, rule, ctx, ids, out, cleanInside);
            } catch (DicomException ex) {
                throw new DeidentificationException("cannot de-identify " + path + " " + tag, ex);
            }
        }
    }

    private Rule defaultRule(Attribute a, String vr, boolean cleanInside) throws DicomException {
        if (vr.equals("UI")) {
            String[] v = a.getStringValues();
            boolean allStandard = v != null && v.length > 0;
            if (v != null) for (String s : v) if (s == null || !UidRemapper.strip(s).startsWith(DICOM_ROOT)) allStandard = false;
            return allStandard ? Rule.builtin(Action.KEEP, "UID under the DICOM root 1.2.840.10008 is not an instance UID")
                    : Rule.builtin(Action.UID, "every UID not explicitly kept is remapped");
        }
        if (cleanInside && (Values.isFreeText(vr) || vr.equals("PN"))) {
            return Rule.builtin(Action.CLEAN_TEXT, "free text inside a cleaned sequence");
        }
        return profile.unlisted();
    }

    private void applyRule(AttributeList list, Attribute a, AttributeTag tag, String vr, String keyword, String path, Rule rule,
                           DeidContext ctx, TextCleaner.FileIds ids, List<AppliedAction> out, boolean cleanInside) throws DicomException {
        String before = ctx.explain() ? show(a) : null;
        String original = a instanceof SequenceAttribute ? null : AttributeText.of(a);
        boolean sq = a instanceof SequenceAttribute;
        Action action = rule.action();
        String word = action.word();
        switch (action) {
            case KEEP -> {
                if (!sq && textLike(vr)) {
                    // every kept free-text value is cleaned: what the gate would find there, the cleaner removes first
                    String fired = cleanText(a, tag, vr, path, ids);
                    if (fired != null) {
                        out.add(new AppliedAction(path, tagText(tag), keyword, "keep, clean-text", rule.code(), rule.source() + fired,
                                before, show(a), true));
                        return;
                    }
                }
                out.add(new AppliedAction(path, tagText(tag), keyword, word, rule.code(), rule.source(), before, before, false));
                recurse(a, path, ctx, ids, out, cleanInside);
                return;
            }
            case REMOVE -> {
                list.remove(tag);
                out.add(new AppliedAction(path, tagText(tag), keyword, word, rule.code(), rule.source(), before, null, true));
                return;
            }
            case EMPTY -> {
                if (sq && removeInsteadOfEmpty(tag, path, rule)) {
                    list.remove(tag);
                    out.add(new AppliedAction(path, tagText(tag), keyword, "remove", rule.code(), rule.source()
                            + " (X of X/Z: Type 3 sequence, zero items invalid)", before, null, true));
                    return;
                } else if (sq) {
                    list.put(new SequenceAttribute(tag));
                } else {
                    a.removeValues();
                }
            }
            case DUMMY -> {
                if (sq) {
                    word = "keep, process items";
                    out.add(new AppliedAction(path, tagText(tag), keyword, word, rule.code(), rule.source(), before, before, false));
                    recurse(a, path, ctx, ids, out, cleanInside);
                    return;
                } else if (vr.equals("UI")) {
                    word = "uid";
                    remapUids(a, ctx);
                } else {
                    String d = Values.dummy(vr);
                    if (d == null || original.isEmpty()) a.removeValues(); else set(a, d);
                }
            }
            case UID -> {
                if (sq) {
                    out.add(new AppliedAction(path, tagText(tag), keyword, "keep, remap UIDs in items", rule.code(), rule.source(), before, before, false));
                    recurse(a, path, ctx, ids, out, cleanInside);
                    return;
                } else if (vr.equals("UI")) {
                    remapUids(a, ctx);
                } else {
                    word = "empty";
                    a.removeValues();
                }
            }
            case CLEAN -> {
                if (sq) {
                    out.add(new AppliedAction(path, tagText(tag), keyword, "clean items", rule.code(), rule.source(), before, before, false));
                    recurse(a, path, ctx, ids, out, true);
                    return;
                } else if (textLike(vr)) {
                    word = "clean-text";
                    String fired = cleanText(a, tag, vr, path, ids);
                    if (fired != null) rule = new Rule(rule.selector(), rule.code(), rule.action(), rule.value(), rule.source() + fired);
                } else if (vr.equals("AE")) {
                    word = "hash";
                    if (!original.isEmpty()) set(a, ctx.uids().hash(original));
                } else if (vr.equals("DA") || vr.equals("DT") || vr.equals("TM")) {
                    word = "shift-date";
                    shiftDate(a, vr, ctx);
                } else if (vr.equals("UI")) {
                    word = "uid";
                    remapUids(a, ctx);
                } else {
                    word = "keep";
                }
            }
            case PSEUDONYM -> {
                if (ctx.pseudonym() == null || ctx.pseudonym().isBlank()) {
                    throw new DeidentificationException("profile " + profile.name() + " needs a pseudonym for " + keyword + " but none was given", null);
                }
                set(a, Values.fit(ctx.pseudonym(), vr));
            }
            case SHIFT_DATE -> shiftDate(a, vr, ctx);
            case HASH -> {
                if (!original.isEmpty()) set(a, Values.fit(ctx.uids().hash(original), vr));
            }
            case REPLACE -> set(a, Values.fit(rule.value(), vr));
            case CLEAN_TEXT -> {
                String fired = cleanText(a, tag, vr, path, ids);
                if (fired != null) rule = new Rule(rule.selector(), rule.code(), rule.action(), rule.value(), rule.source() + fired);
            }
        }
        Attribute now = list.get(tag);
        String after = now == null ? null : (now instanceof SequenceAttribute s ? "<" + s.getNumberOfItems() + " items>" : AttributeText.of(now));
        boolean changed = sq || !java.util.Objects.equals(original, after);
        out.add(new AppliedAction(path, tagText(tag), keyword, word, rule.code(), rule.source(), before, after, changed));
    }

    /**
     * X/Z on a sequence means X where the sequence is Type 3 and Z where it is Type 2. ReferencedStudySequence is
     * Type 3 in the General Study module and the Request Attributes macro, whose definitions require one or more
     * items when it is present: zero items there is invalid (dciodvfy: "Bad Sequence number of Items 0"), so it is
     * removed. Elsewhere (e.g. SR ReferencedRequestSequence, Type 2) and for other X/Z sequences
     * (AcquisitionContextSequence, Type 2) it keeps the zero-item form.
     */
    private static boolean removeInsteadOfEmpty(AttributeTag tag, String path, Rule rule) {
        return "X/Z".equals(rule.code()) && tag.equals(REFERENCED_STUDY_SEQUENCE)
                && (path.indexOf('/') < 0 || path.startsWith("RequestAttributesSequence["));
    }

    /**
     * Overlay planes whose OverlayData (60xx,3000) the profile removed are removed whole: the Overlay Plane module
     * without its Type 1 data is invalid (dciodvfy: "Missing attribute Type 1 Required Element=<OverlayData>"), and
     * rows, columns, origin and bit layout of an overlay that is gone are meaningless.
     */
    private static void removeOrphanedOverlayPlanes(AttributeList list, Set<Integer> groupsWithData, List<AppliedAction> out) {
        for (int g : groupsWithData) {
            if (list.get(new AttributeTag(g, 0x3000)) != null) continue;
            for (AttributeTag t : new ArrayList<>(list.keySet())) {
                if (t.getGroup() != g) continue;
                list.remove(t);
                out.add(new AppliedAction(keyword(t), tagText(t), keyword(t), "remove", "X", "(engine: overlay plane without its removed OverlayData)", null, null, true));
            }
        }
    }

    private static Set<Integer> overlayGroupsWithData(AttributeList list) {
        Set<Integer> groups = new LinkedHashSet<>();
        for (AttributeTag t : list.keySet()) {
            if (t.getGroup() >= 0x6000 && t.getGroup() <= 0x601E && (t.getGroup() & 1) == 0 && t.getElement() == 0x3000) groups.add(t.getGroup());
        }
        return groups;
    }

    private void recurse(Attribute a, String path, DeidContext ctx, TextCleaner.FileIds ids, List<AppliedAction> out, boolean cleanInside) {
        if (!(a instanceof SequenceAttribute s)) return;
        for (int i = 0; i < s.getNumberOfItems(); i++) {
            walk(s.getItem(i).getAttributeList(), path + "[" + i + "]/", ctx, ids, out, cleanInside);
        }
    }

    private static void record(List<AppliedAction> out, DeidContext ctx, String path, AttributeTag tag, String keyword, Rule r,
                               String word, Attribute before, Attribute after, boolean changed) {
        String b = ctx.explain() ? show(before) : null;
        out.add(new AppliedAction(path, tagText(tag), keyword, word, r.code(), r.source(), b, b, changed));
    }

    private static String sourceOf(Rule pr, SafePrivateList safe) {
        return pr.source() + (safe.file() == null ? "" : " + " + safe.file().getFileName());
    }

    /** Private data elements on the allowlist (matched via this dataset's own creator) plus their creator elements. */
    private Set<AttributeTag> safePrivateTags(AttributeList list) {
        Set<AttributeTag> keep = new HashSet<>();
        SafePrivateList safe = profile.safePrivate();
        for (AttributeTag t : list.keySet()) {
            int g = t.getGroup(), e = t.getElement();
            if ((g & 1) == 0 || e < 0x1000) continue;
            AttributeTag creatorTag = new AttributeTag(g, e >> 8);
            Attribute creator = list.get(creatorTag);
            String c = creator == null ? null : creator.getSingleStringValueOrNull();
            if (safe.isSafe(c, g, e)) {
                keep.add(t);
                keep.add(creatorTag);
            }
        }
        return keep;
    }

    private static void set(Attribute a, String value) throws DicomException {
        a.removeValues();
        a.addValue(value);
    }

    private static void remapUids(Attribute a, DeidContext ctx) throws DicomException {
        String[] v = a.getStringValues();
        if (v == null || v.length == 0) return;
        a.removeValues();
        for (String s : v) a.addValue(ctx.uids().remap(s));
    }

    private static void shiftDate(Attribute a, String vr, DeidContext ctx) throws DicomException {
        String v = a.getDelimitedStringValuesOrEmptyString();
        if (v.isEmpty()) return;
        String shifted = DateShifter.shift(v, vr, ctx.dateShiftDays());
        a.removeValues();
        if (shifted == null || shifted.isEmpty()) return;   // unparseable: emptied, never left unshifted
        for (String s : shifted.split("\\\\", -1)) a.addValue(s);
    }

    /** Free-text VRs and PN (names in text form): values the text cleaner looks at. */
    private static boolean textLike(String vr) { return Values.isFreeText(vr) || vr.equals("PN"); }

    /**
     * Cleans every value of a text attribute in place; returns " | text: rule (file:line), …" naming the rules that
     * removed something, or null when nothing was removed (the attribute is then untouched).
     */
    private String cleanText(Attribute a, AttributeTag tag, String vr, String path, TextCleaner.FileIds ids) throws DicomException {
        String[] v = a.getStringValues();
        if (v == null || v.length == 0) return null;
        List<String> cleaned = new ArrayList<>();
        Set<TextCleaner.Removal> fired = new LinkedHashSet<>();
        for (String s : v) {
            TextCleaner.Cleaned c = cleaner.clean(TextCleaner.field(path, tag, vr, s), ids);
            cleaned.add(c.text() == null ? "" : c.text());
            fired.addAll(c.removals());
        }
        if (fired.isEmpty()) return null;
        a.removeValues();
        for (String s : cleaned) a.addValue(Values.fit(s, vr));
        StringBuilder sb = new StringBuilder(" | text:");
        for (TextCleaner.Removal r : fired) sb.append(' ').append(r).append(';');
        return sb.substring(0, sb.length() - 1);
    }

    private static String show(Attribute a) {
        if (a == null) return null;
        if (a instanceof SequenceAttribute s) return "<" + s.getNumberOfItems() + " items>";
        String vr = a.getVRAsString();
        if (Set.of("OB", "OW", "OF", "OD", "OL", "OV", "UN").contains(vr)) return "<" + vr + " " + a.getVL() + " bytes>";
        return a.getDelimitedStringValuesOrEmptyString();
    }

    static String keyword(AttributeTag tag) {
        String k = (tag.getGroup() & 1) == 0 ? org.haven.dicom.Keywords.of(tag) : null;
        return k == null ? tagText(tag) : k;
    }

    static String tagText(AttributeTag tag) { return TagPattern.format(tag.getGroup(), tag.getElement()); }

    /** Identifiers of this dataset (recursively), gathered before anything is modified, for clean-text. */
    static TextCleaner.FileIds gatherIdentifiers(AttributeList list) {
        Set<String> names = new LinkedHashSet<>(), idValues = new LinkedHashSet<>(), births = new LinkedHashSet<>();
        gather(list, names, idValues, births, 0);
        return new TextCleaner.FileIds(org.haven.text.KnownIdentifiers.from(list), TextCleaner.otherIds(idValues));
    }

    private static void gather(AttributeList list, Set<String> names, Set<String> ids, Set<String> births, int depth) {
        if (depth > 32) return;
        for (Attribute a : list.values()) {
            AttributeTag t = a.getTag();
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) gather(s.getItem(i).getAttributeList(), names, ids, births, depth + 1);
                continue;
            }
            int key = TagPattern.key(t.getGroup(), t.getElement());
            try {
                if ("PN".equals(a.getVRAsString())) {
                    String[] v = a.getStringValues();
                    if (v != null) for (String s : v) names.add(s);
                } else if (ID_TAGS.contains(key)) {
                    String[] v = a.getStringValues();
                    if (v != null) for (String s : v) ids.add(s);
                } else if (key == BIRTH_DATE) {
                    births.add(a.getSingleStringValueOrEmptyString());
                }
            } catch (DicomException | RuntimeException e) {
                // fail closed: the cleaner cannot look for an identifier it cannot decode, so the file is held
                throw new DeidentificationException(String.format("source identifier (%04X,%04X) cannot be decoded: the text cleaner"
                    + " cannot look for it", t.getGroup(), t.getElement()), e);
            }
        }
    }

    /**
     * PatientName and PatientID (Type 2 in the Patient module) are written with the pseudonym even when the source
     * lacks them, if the profile says pseudonym: every released file carries the project pseudonym.
     */
    private void addMissingPseudonyms(AttributeList list, DeidContext ctx, List<AppliedAction> out) throws DicomException {
        for (AttributeTag t : List.of(new AttributeTag(0x0010, 0x0010), new AttributeTag(0x0010, 0x0020))) {
            Rule r = profile.ruleFor(t);
            if (r == null || r.action() != Action.PSEUDONYM || list.get(t) != null) continue;
            if (ctx.pseudonym() == null || ctx.pseudonym().isBlank()) {
                throw new DeidentificationException("profile " + profile.name() + " needs a pseudonym for " + keyword(t) + " but none was given", null);
            }
            Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(t, DICT.getValueRepresentationFromTag(t));
            a.addValue(Values.fit(ctx.pseudonym(), a.getVRAsString()));
            list.put(a);
            out.add(new AppliedAction(keyword(t), tagText(t), keyword(t), "pseudonym (added)", r.code(), r.source(), null, a.getSingleStringValueOrEmptyString(), true));
        }
    }

    private void mark(AttributeList list, List<AppliedAction> out) throws DicomException {
        CodeStringAttribute removed = new CodeStringAttribute(PATIENT_IDENTITY_REMOVED);
        removed.addValue("YES");
        list.put(removed);
        LongStringAttribute method = new LongStringAttribute(DEID_METHOD);
        for (String m : profile.methodDescription()) method.addValue(Values.fit(m, "LO"));
        list.put(method);
        SequenceAttribute codes = new SequenceAttribute(DEID_METHOD_CODES);
        for (String c : profile.methodCodes()) codes.addItem(codeItem(c));
        list.put(codes);
        CodeStringAttribute longitudinal = new CodeStringAttribute(LONGITUDINAL);
        longitudinal.addValue(profile.longitudinalTemporalInformation());
        list.put(longitudinal);
        for (Attribute a : List.of(removed, method, codes, longitudinal)) {
            out.add(new AppliedAction(keyword(a.getTag()), tagText(a.getTag()), keyword(a.getTag()), "set", "-", MARK_SOURCE, null,
                    a instanceof SequenceAttribute s ? "<" + s.getNumberOfItems() + " items>" : a.getDelimitedStringValuesOrEmptyString(), true));
        }
    }

    private static SequenceItem codeItem(String code) throws DicomException {
        AttributeList item = new AttributeList();
        ShortStringAttribute v = new ShortStringAttribute(CODE_VALUE);
        v.addValue(code);
        item.put(v);
        ShortStringAttribute s = new ShortStringAttribute(CODING_SCHEME);
        s.addValue("DCM");
        item.put(s);
        LongStringAttribute m = new LongStringAttribute(CODE_MEANING);
        m.addValue(Profile.METHOD_CODES.getOrDefault(code, code));
        item.put(m);
        return new SequenceItem(item);
    }
}

package org.haven.deidentify;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every readable corpus file, de-identified: no original names, IDs or UIDs anywhere; no unsafe private tags. */
class DeidentifierCorpusTest {
    static final Pattern UID_SYNTAX = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    @Test
    void basicLeavesNoOriginalNameIdOrUidAnywhere() throws Exception {
        List<Corpus.Item> items = Corpus.readable();
        assumeTrue(!items.isEmpty(), "no readable corpus files");
        Deidentifier deid = new Deidentifier(Keys.REGISTRY.get("basic"));
        int checked = 0, uidsChecked = 0;
        for (Corpus.Item it : items) {
            AttributeList list = it.list();
            String name = str(list, TagFromName.PatientName), pid = str(list, TagFromName.PatientID);
            Set<String> uids = new HashSet<>();
            collectInstanceUids(list, deid.profile(), uids);
            // a value that is also in a deliberately kept class UID (e.g. InstanceCreatorUID == ImplementationClassUID,
            // the toolkit's UID) legitimately survives in the kept attribute
            Set<String> kept = new HashSet<>();
            collectKeptUids(list, deid.profile(), kept);
            uids.removeAll(kept);
            uids.removeIf(u -> u.startsWith("1.2.840.10008.") || u.length() < 8); // "0"-like junk UIDs collide with numbers
            String pseudonym = Keys.pseudonymFor(pid);
            deid.apply(list, Keys.context(pseudonym));

            List<String> values = new ArrayList<>();
            collectAll(list, values);
            if (name.length() > 2) assertThat(values).as("%s PatientName value left", it.file()).doesNotContain(name);
            if (pid.length() > 2) assertThat(values).as("%s PatientID value left", it.file()).doesNotContain(pid);
            assertThat(str(list, TagFromName.PatientName)).isEqualTo(pseudonym);
            assertThat(str(list, TagFromName.PatientID)).isEqualTo(pseudonym);
            for (String u : uids) assertThat(values).as("%s original UID left", it.file()).doesNotContain(u);
            uidsChecked += uids.size();
            assertNoPrivate(list, it.file().toString());
            Set<String> newUids = new HashSet<>();
            collectUids(list, newUids);
            for (String u : newUids) {
                assertThat(u.length()).isLessThanOrEqualTo(64);
                assertThat(UID_SYNTAX.matcher(u).matches()).as("UID syntax").isTrue();
            }
            assertThat(str(list, TagFromName.PatientIdentityRemoved)).isEqualTo("YES");
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(uidsChecked).isGreaterThan(checked);
    }

    @Test
    void researchShiftsDatesConsistentlyPerPatient() throws Exception {
        List<Corpus.Item> items = Corpus.readable();
        Map<String, List<Corpus.Item>> byPatient = new HashMap<>();
        for (Corpus.Item it : items) {
            String pid = str(it.list(), TagFromName.PatientID);
            if (pid.length() > 0 && date(str(it.list(), TagFromName.StudyDate)) != null) byPatient.computeIfAbsent(pid, k -> new ArrayList<>()).add(it);
        }
        Deidentifier deid = new Deidentifier(Keys.REGISTRY.get("research"));
        int pairs = 0, shiftedChecked = 0;
        for (Map.Entry<String, List<Corpus.Item>> e : byPatient.entrySet()) {
            String pseudonym = Keys.pseudonymFor(e.getKey());
            int offset = DateShift.offsetDays(Keys.KEY, Keys.PROJECT, pseudonym);
            LocalDate firstOrig = null, firstNew = null;
            for (Corpus.Item it : e.getValue()) {
                AttributeList l = it.list();
                LocalDate orig = date(str(l, TagFromName.StudyDate));
                deid.apply(l, Keys.context(pseudonym));
                LocalDate now = date(str(l, TagFromName.StudyDate));
                assertThat(now).as("%s StudyDate shifted", it.file()).isEqualTo(orig.plusDays(offset));
                shiftedChecked++;
                if (firstOrig == null) {
                    firstOrig = orig;
                    firstNew = now;
                } else {
                    assertThat(ChronoUnit.DAYS.between(firstNew, now)).isEqualTo(ChronoUnit.DAYS.between(firstOrig, orig));
                    pairs++;
                }
                assertThat(str(l, TagFromName.LongitudinalTemporalInformationModified)).isEqualTo("MODIFIED");
            }
        }
        assumeTrue(shiftedChecked > 0, "no dated corpus files");
        assertThat(pairs).as("same-patient pairs compared").isGreaterThan(0);
    }

    @Test
    void nestedReferencesMapToTheReferencedFilesNewUid() throws Exception {
        List<Corpus.Item> items = Corpus.readable();
        Map<String, Corpus.Item> bySop = new HashMap<>();
        for (Corpus.Item it : items) bySop.put(str(it.list(), TagFromName.SOPInstanceUID), it);
        int matched = 0;
        Deidentifier deid = new Deidentifier(Keys.REGISTRY.get("basic"));
        for (Corpus.Item it : items) {
            List<String> refs = new ArrayList<>();
            collect(it.list(), TagFromName.ReferencedSOPInstanceUID, refs);
            for (String ref : refs) {
                Corpus.Item target = bySop.get(ref);
                if (target == null || target == it) continue;
                AttributeList src = Corpus.read(it.file()), dst = Corpus.read(target.file());
                deid.apply(src, Keys.context(Keys.pseudonymFor(str(src, TagFromName.PatientID))));
                deid.apply(dst, Keys.context(Keys.pseudonymFor(str(dst, TagFromName.PatientID))));
                List<String> newRefs = new ArrayList<>();
                collect(src, TagFromName.ReferencedSOPInstanceUID, newRefs);
                assertThat(newRefs).contains(str(dst, TagFromName.SOPInstanceUID));
                assertThat(newRefs).doesNotContain(ref);
                matched++;
                break;
            }
        }
        assumeTrue(matched > 0, "no corpus file references another corpus file");
    }

    @Test
    void safePrivateKeepsOnlyAllowlistedPrivateAttributes() throws Exception {
        Profile p = Keys.REGISTRY.get("retain-safe-private");
        Deidentifier deid = new Deidentifier(p);
        int keptSomewhere = 0;
        for (Corpus.Item it : Corpus.readable()) {
            AttributeList l = it.list();
            deid.apply(l, Keys.context(Keys.pseudonymFor(str(l, TagFromName.PatientID))));
            for (Attribute a : l.values()) {
                AttributeTag t = a.getTag();
                if (t.getGroup() % 2 == 0) continue;
                if (t.getElement() < 0x1000) {   // a creator is kept only for a block that keeps something
                    assertThat(l.keySet()).anyMatch(x -> x.getGroup() == t.getGroup() && x.getElement() >> 8 == t.getElement());
                    continue;
                }
                String creator = str(l, new AttributeTag(t.getGroup(), t.getElement() >> 8));
                assertThat(p.safePrivate().isSafe(creator, t.getGroup(), t.getElement())).as("%s %s", it.file(), t).isTrue();
                keptSomewhere++;
            }
        }
        assumeTrue(keptSomewhere > 0, "no allowlisted private attribute in the corpus");
    }

    static LocalDate date(String da) {
        try {
            return da.length() == 8 ? LocalDate.parse(da, DateTimeFormatter.BASIC_ISO_DATE) : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String str(AttributeList l, AttributeTag t) { return Attribute.getSingleStringValueOrEmptyString(l, t).trim(); }

    static void collectAll(AttributeList list, List<String> out) throws Exception {
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) collectAll(s.getItem(i).getAttributeList(), out);
            } else if (!Set.of("OB", "OW", "OF", "OD", "OL", "UN").contains(a.getVRAsString())) {
                String[] v = a.getStringValues();
                if (v != null) for (String s : v) if (s != null) out.add(s.trim());
                out.add(a.getDelimitedStringValuesOrEmptyString().trim());
            }
        }
    }

    static void collectUids(AttributeList list, Set<String> out) throws Exception {
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) collectUids(s.getItem(i).getAttributeList(), out);
            } else if ("UI".equals(a.getVRAsString())) {
                String[] v = a.getStringValues();
                if (v != null) for (String s : v) if (s != null) out.add(s.trim());
            }
        }
    }

    /** UIDs of attributes the profile does not explicitly keep (standard/class UIDs such as ImplementationClassUID are K). */
    static void collectInstanceUids(AttributeList list, Profile profile, Set<String> out) throws Exception {
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) collectInstanceUids(s.getItem(i).getAttributeList(), profile, out);
            } else if ("UI".equals(a.getVRAsString())) {
                Rule r = profile.ruleFor(a.getTag());
                if (r != null && r.action() == Action.KEEP) continue;
                String[] v = a.getStringValues();
                if (v != null) for (String s : v) if (s != null) out.add(s.trim());
            }
        }
    }

    static void collectKeptUids(AttributeList list, Profile profile, Set<String> out) throws Exception {
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) collectKeptUids(s.getItem(i).getAttributeList(), profile, out);
            } else if ("UI".equals(a.getVRAsString())) {
                Rule r = profile.ruleFor(a.getTag());
                if (r == null || r.action() != Action.KEEP) continue;
                String[] v = a.getStringValues();
                if (v != null) for (String s : v) if (s != null) out.add(s.trim());
            }
        }
    }

    static void collect(AttributeList list, AttributeTag tag, List<String> out) {
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) collect(s.getItem(i).getAttributeList(), tag, out);
            } else if (a.getTag().equals(tag)) {
                out.add(a.getSingleStringValueOrEmptyString().trim());
            }
        }
    }

    static void assertNoPrivate(AttributeList list, String file) {
        for (Attribute a : list.values()) {
            assertThat(a.getTag().getGroup() % 2).as("%s private attribute %s left", file, a.getTag()).isZero();
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) assertNoPrivate(s.getItem(i).getAttributeList(), file);
            }
        }
    }
}

package org.haven.dicom;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.ValueRepresentation;

/**
 * Repairs messy but harmless encodings instead of rejecting the file, where the meaning is unambiguous and the value
 * is shifted or replaced by the profile anyway: times in ACR-NEMA form ("09:11:02") or with more than six fraction
 * digits ("101530.123456789" - truncated to microseconds), dates in ACR-NEMA form ("2019.04.02"), date-times with
 * more than six fraction digits; a file meta group without its group length (the writer adds it); an encapsulated
 * thumbnail in the Icon Image Sequence (walked by {@link DicomStructure}; the profile removes the icon); text in an
 * undeclared character set ({@link CharsetRepair}). Private values
 * are left alone (removed or allowlisted, never computed with). Each repair is described by attribute, never by
 * value, for the audit trail and the quarantine sidecar. Anything else that is wrong stays wrong: {@link ValueChecks}
 * and the structure walk decide what is unreadable.
 */
final class ValueRepairs {
    private static final Pattern TM = Pattern.compile("(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:\\.(\\d+))?)?)?");
    private static final Pattern DA_ACR_NEMA = Pattern.compile("(\\d{4})[.\\-/](\\d{2})[.\\-/](\\d{2})");
    private static final Pattern DT_LONG_FRACTION = Pattern.compile("(\\d{14})\\.(\\d{7,})([+-]\\d{4})?");

    private ValueRepairs() {}

    static List<String> repair(DicomLayout layout, AttributeList list) {
        List<String> out = new ArrayList<>();
        if (layout.metaGroupLengthMissing()) out.add("file meta group length (0002,0000) missing: written on output");
        if (layout.encapsulatedIcon()) out.add("IconImageSequence (0088,0200) holds an encapsulated thumbnail: accepted, removed with the icon");
        String charset = CharsetRepair.repair(list);
        if (charset != null) out.add(charset);
        repair(list, "", out);
        return out;
    }

    private static void repair(AttributeList list, String path, List<String> out) {
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute sq) {
                Iterator<?> items = sq.iterator();
                int i = 0;
                String itemPath = null;
                while (items.hasNext()) {
                    SequenceItem item = (SequenceItem) items.next();
                    if (itemPath == null) itemPath = path + name(a);
                    if (item != null && item.getAttributeList() != null) repair(item.getAttributeList(), itemPath + "[" + i + "]/", out);
                    i++;
                }
                continue;
            }
            byte[] vr = a.getVR();
            if (a.getTag().isPrivate() || vr == null) continue;
            boolean time = ValueRepresentation.isTimeVR(vr), date = ValueRepresentation.isDateVR(vr), dateTime = ValueRepresentation.isDateTimeVR(vr);
            if (!time && !date && !dateTime) continue;
            String[] values;
            try {
                values = a.getStringValues();
            } catch (DicomException | RuntimeException e) {
                continue; // ValueChecks reports it
            }
            if (values == null || values.length == 0) continue;
            boolean changed = false;
            String[] fixed = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                String v = values[i] == null ? "" : values[i].replace("\0", "").trim();
                String r = time ? time(v) : date ? date(v) : dateTime(v);
                fixed[i] = r == null ? values[i] : r;
                changed |= r != null;
            }
            if (!changed) continue;
            try {
                a.removeValues();
                for (String f : fixed) a.addValue(f);
            } catch (DicomException e) {
                continue;
            }
            out.add(path + name(a) + ": " + (time ? "TM" : date ? "DA" : "DT") + " normalised (ACR-NEMA form or more than 6 fraction digits)");
        }
    }

    /** The standard form of a messy time, or null when it needs no repair (or cannot be repaired). */
    static String time(String v) {
        Matcher m = TM.matcher(v);
        if (!m.matches()) return null;
        boolean colons = v.indexOf(':') >= 0;
        String fraction = m.group(4);
        if (!colons && (fraction == null || fraction.length() <= 6)) return null;
        StringBuilder s = new StringBuilder(m.group(1));
        if (m.group(2) != null) s.append(m.group(2));
        if (m.group(3) != null) s.append(m.group(3));
        if (fraction != null) s.append('.').append(fraction, 0, Math.min(6, fraction.length()));
        return s.toString();
    }

    static String date(String v) {
        Matcher m = DA_ACR_NEMA.matcher(v);
        return m.matches() ? m.group(1) + m.group(2) + m.group(3) : null;
    }

    static String dateTime(String v) {
        Matcher m = DT_LONG_FRACTION.matcher(v);
        if (!m.matches()) return null;
        return m.group(1) + "." + m.group(2).substring(0, 6) + (m.group(3) == null ? "" : m.group(3));
    }

    private static String name(Attribute a) {
        String n = Keywords.of(a.getTag());
        return (n == null ? "" : n + " ") + TagText.of(a.getTag().getGroup(), a.getTag().getElement());
    }
}

package org.haven.dicom;

import java.util.Iterator;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.ValueRepresentation;

/**
 * Checks the values later stages compute with: numbers must be numbers (image geometry, frame counts), times must
 * be times (ACR-NEMA "hh:mm:ss" is still common and accepted), UIDs must be digits and dots (they are remapped;
 * legacy leading zeros are tolerated). Dates are not checked here: the de-identifier empties a date it cannot shift,
 * so messy data entry ("***", "NaN") costs one value, not the file. A failure names the attribute, never the value.
 */
final class ValueChecks {
    private static final Pattern IS = Pattern.compile("[+-]?\\d{1,12}");
    private static final Pattern DS = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern TM = Pattern.compile("\\d{2}(:?\\d{2}(:?\\d{2}(\\.\\d{1,6})?)?)?");
    private static final Pattern UI = Pattern.compile("\\d+(\\.\\d+)*");

    private ValueChecks() {}

    static void check(AttributeList list) throws UnreadableDicomException {
        if (list.isEmpty()) throw new UnreadableDicomException("empty data set");
        check(list, "");
    }

    private static void check(AttributeList list, String path) throws UnreadableDicomException {
        for (Attribute a : list.values()) {
            byte[] vr = a.getVR();
            if (a instanceof SequenceAttribute sq) {
                String where = path + a.getTag().toString();
                Iterator<?> items = sq.iterator();
                int i = 0;
                while (items.hasNext()) {
                    check(((SequenceItem) items.next()).getAttributeList(), where + "[" + i++ + "].");
                }
                continue;
            }
            if (a.getTag().isPrivate() || vr == null) continue; // private values are removed or allowlisted, not computed with
            Pattern p = ValueRepresentation.isIntegerStringVR(vr) ? IS
                : ValueRepresentation.isDecimalStringVR(vr) ? DS
                : ValueRepresentation.isTimeVR(vr) ? TM
                : ValueRepresentation.isUniqueIdentifierVR(vr) ? UI
                : null;
            if (p == null) continue;
            String[] values;
            try {
                values = a.getStringValues();
            } catch (Exception e) {
                throw new UnreadableDicomException("invalid value in " + path + a.getTag());
            }
            if (values == null) continue;
            for (String v : values) {
                String t = v == null ? "" : v.trim().replace("\0", "");
                if (t.isEmpty()) continue;
                if (!p.matcher(t).matches() || (p == UI && t.length() > 64) || (p == TM && t.length() > 16)) {
                    throw new UnreadableDicomException("invalid " + ValueRepresentation.getAsString(vr) + " value in " + path + a.getTag());
                }
            }
        }
    }
}

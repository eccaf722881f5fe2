package org.haven.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.StringAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * Text in a file that declares no SpecificCharacterSet but holds bytes above 0x7F (an export from a system that wrote
 * its local code page): the bytes are decoded with the encoding they most likely are, and the values are rewritten
 * as UTF-8 with SpecificCharacterSet ISO_IR 192 declared, so no character becomes U+FFFD and no value grows. The
 * guess: valid UTF-8 is UTF-8; otherwise mostly-high-byte words (Cyrillic, where every letter is above 0x7F) are
 * windows-1251; otherwise Latin (windows-1252, a superset of ISO 8859-1).
 */
final class CharsetRepair {
    private static final Set<String> TEXT_VRS = Set.of("SH", "LO", "ST", "LT", "PN", "UT", "UC");
    private static final Set<String> SINGLE_VALUED = Set.of("ST", "LT", "UT");

    private CharsetRepair() {}

    /** The repair made, or null when the file declares a character set or its text is plain ASCII. */
    static String repair(AttributeList list) {
        Attribute declared = list.get(TagFromName.SpecificCharacterSet);
        if (declared != null && !Attribute.getDelimitedStringValuesOrEmptyString(list, TagFromName.SpecificCharacterSet).isBlank()) return null;
        List<StringAttribute> text = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        collect(list, text, all);
        if (text.isEmpty()) return null;
        byte[] bytes = all.toByteArray();
        Charset cs = guess(bytes);
        SpecificCharacterSet utf8 = new SpecificCharacterSet(new String[] {"ISO_IR 192"});
        try {
            for (StringAttribute a : text) {
                String decoded = new String(a.getByteValues(), cs);
                a.removeValues();
                a.setSpecificCharacterSet(utf8);
                String vr = a.getVRAsString();
                String[] values = SINGLE_VALUED.contains(vr) ? new String[] {decoded} : decoded.split("\\\\", -1);
                for (String v : values) a.addValue(strip(v));
            }
            Attribute scs = new CodeStringAttribute(TagFromName.SpecificCharacterSet);
            scs.addValue("ISO_IR 192");
            list.put(scs);
        } catch (DicomException e) {
            return null; // left as read; the gate still scans what PixelMed decoded
        }
        return "SpecificCharacterSet missing and " + text.size() + " text value(s) not ASCII: decoded as " + cs.name()
            + ", rewritten as UTF-8 (ISO_IR 192)";
    }

    private static void collect(AttributeList list, List<StringAttribute> out, ByteArrayOutputStream all) {
        for (Iterator<Attribute> it = list.values().iterator(); it.hasNext(); ) {
            Attribute a = it.next();
            if (a instanceof SequenceAttribute sq) {
                for (Iterator<?> items = sq.iterator(); items.hasNext(); ) {
                    SequenceItem item = (SequenceItem) items.next();
                    if (item != null && item.getAttributeList() != null) collect(item.getAttributeList(), out, all);
                }
                continue;
            }
            if (!(a instanceof StringAttribute s) || !TEXT_VRS.contains(a.getVRAsString())) continue;
            byte[] b;
            try {
                b = s.getByteValues();
            } catch (DicomException e) {
                continue;
            }
            if (b == null || !SpecificCharacterSet.byteArrayContainsNonASCIIValues(b)) continue;
            out.add(s);
            all.write(b, 0, b.length);
            all.write(' ');
        }
    }

    static Charset guess(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException notUtf8) {
            // fall through
        }
        int high = 0, asciiLetters = 0;
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0xC0) high++;
            else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) asciiLetters++;
        }
        return high > asciiLetters ? Charset.forName("windows-1251") : Charset.forName("windows-1252");
    }

    private static String strip(String v) {
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\0')) end--;
        return v.substring(0, end);
    }
}

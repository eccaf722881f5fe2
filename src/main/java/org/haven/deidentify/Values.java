package org.haven.deidentify;

import java.util.Set;

/** VR categories and the dummy values Haven writes for the D action. */
final class Values {
    private Values() {}

    static final Set<String> TEXT = Set.of("AE", "AS", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UT", "UR");
    static final Set<String> NUMERIC_STRING = Set.of("DS", "IS");
    static final Set<String> BINARY_NUMBER = Set.of("US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "AT");

    static boolean isText(String vr) { return TEXT.contains(vr); }

    private static final Set<String> FREE_TEXT = Set.of("LO", "LT", "SH", "ST", "UC", "UT");

    static boolean isFreeText(String vr) { return FREE_TEXT.contains(vr); } // once per attribute: the set built once

    /**
     * Dummy value by VR: a value that is valid, obviously not real, and carries no information.
     * Returns null for VRs where a dummy makes no sense (binary, SQ, UN): the caller empties them instead.
     */
    static String dummy(String vr) {
        return switch (vr) {
            case "PN" -> "ANONYMOUS";
            case "LO", "SH", "LT", "ST", "UT", "UC", "CS", "AE" -> "ANONYMOUS";
            case "DA" -> "19000101";
            case "TM" -> "000000";
            case "DT" -> "19000101000000";
            case "AS" -> "000D";
            case "DS", "IS" -> "0";
            case "UR" -> "";
            default -> null;
        };
    }

    /** Maximum length of one value for string VRs (for replacements and pseudonyms); 0 = no practical limit. */
    static int maxLength(String vr) {
        return switch (vr) {
            case "AE", "CS", "SH", "DS", "TM" -> 16;
            case "AS" -> 4;
            case "DA" -> 8;
            case "DT" -> 26;
            case "IS" -> 12;
            case "LO", "UI" -> 64;
            case "PN" -> 64;
            case "ST" -> 1024;
            case "LT" -> 10240;
            default -> 0;
        };
    }

    static String fit(String value, String vr) {
        int max = maxLength(vr);
        return max > 0 && value.length() > max ? value.substring(0, max) : value;
    }
}

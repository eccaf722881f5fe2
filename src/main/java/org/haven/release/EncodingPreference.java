package org.haven.release;

import java.util.Map;

/**
 * Which of two received encodings of one instance (same project, patient, study, series and SOP instance) is
 * released, whatever order they arrive in: the one whose ORIGINAL transfer syntax ranks first, then the smaller file
 * id (the SHA-256 of its content) so that equal ranks are decided too. Ranks: uncompressed explicit VR little
 * endian, implicit VR little endian, deflated, big endian, then lossless compression (RLE, JPEG lossless, JPEG-LS
 * lossless, JPEG 2000 lossless, HTJ2K lossless), then anything else (lossy or unknown). So a lossless original always
 * wins over a lossy re-export, and the same file is released on every run.
 */
public final class EncodingPreference {
    private static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.1", 0),       // explicit VR little endian
            Map.entry("1.2.840.10008.1.2", 1),         // implicit VR little endian
            Map.entry("1.2.840.10008.1.2.1.99", 2),    // deflated explicit VR little endian
            Map.entry("1.2.840.10008.1.2.2", 3),       // explicit VR big endian (retired)
            Map.entry("1.2.840.10008.1.2.5", 4),       // RLE lossless
            Map.entry("1.2.840.10008.1.2.4.57", 4),    // JPEG lossless
            Map.entry("1.2.840.10008.1.2.4.70", 4),    // JPEG lossless, first-order prediction
            Map.entry("1.2.840.10008.1.2.4.80", 4),    // JPEG-LS lossless
            Map.entry("1.2.840.10008.1.2.4.90", 4),    // JPEG 2000 lossless only
            Map.entry("1.2.840.10008.1.2.4.201", 4),   // HTJ2K lossless
            Map.entry("1.2.840.10008.1.2.4.202", 4));  // HTJ2K lossless RPCL
    private static final int OTHER = 5;

    private EncodingPreference() {}

    static int rank(String transferSyntax) {
        return transferSyntax == null ? OTHER : RANK.getOrDefault(transferSyntax.trim(), OTHER);
    }

    /** True when file {@code a} (original transfer syntax {@code tsA}) is released in preference to file {@code b}. */
    public static boolean prefers(String a, String tsA, String b, String tsB) {
        int ra = rank(tsA), rb = rank(tsB);
        return ra != rb ? ra < rb : a.compareTo(b) < 0;
    }

    /** The rule in words, for the audit trail. */
    static String why(String tsA, String tsB) {
        int ra = rank(tsA), rb = rank(tsB);
        return ra != rb ? "preferred transfer syntax " + tsA + " over " + tsB : "same rank of transfer syntax: the smaller file id wins";
    }
}

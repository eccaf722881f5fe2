package org.haven.dicom;

import java.util.Map;

/** The transfer syntaxes Haven accepts, with the properties the walker and the writers need. */
public final class TransferSyntaxes {
    public static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

    /** uid → name, for encapsulated (compressed pixel data) syntaxes PixelMed can round-trip. */
    private static final Map<String, String> ENCAPSULATED = Map.ofEntries(
        Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline"),
        Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended"),
        Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless"),
        Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless SV1"),
        Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
        Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
        Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless"),
        Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
        Map.entry("1.2.840.10008.1.2.4.100", "MPEG2"),
        Map.entry("1.2.840.10008.1.2.4.101", "MPEG2 High Level"),
        Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4"),
        Map.entry("1.2.840.10008.1.2.4.103", "MPEG-4 BD"),
        Map.entry("1.2.840.10008.1.2.4.201", "HTJ2K Lossless"),
        Map.entry("1.2.840.10008.1.2.4.202", "HTJ2K Lossless RPCL"),
        Map.entry("1.2.840.10008.1.2.4.203", "HTJ2K"),
        Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

    private TransferSyntaxes() {}

    public static boolean isKnown(String uid) {
        return isNative(uid) || ENCAPSULATED.containsKey(uid);
    }

    public static boolean isNative(String uid) {
        return IMPLICIT_LE.equals(uid) || EXPLICIT_LE.equals(uid) || DEFLATED_LE.equals(uid) || EXPLICIT_BE.equals(uid);
    }

    public static boolean isEncapsulated(String uid) { return ENCAPSULATED.containsKey(uid); }

    public static boolean isExplicit(String uid) { return !IMPLICIT_LE.equals(uid); }

    public static boolean isBigEndian(String uid) { return EXPLICIT_BE.equals(uid); }

    public static boolean isDeflated(String uid) { return DEFLATED_LE.equals(uid); }
}

package org.haven.store;

import org.haven.identifiers.KeyedHash;

/**
 * Proposes a project pseudonym: "H" + 12 Crockford base-32 characters (60 bits) of HMAC-SHA256(key, project|patient).
 * Deterministic, so every node proposes the same value without coordination; random-looking, so pseudonyms carry no
 * order or count. {@link Pseudonyms} records it and guards uniqueness.
 */
public final class PseudonymProposal {
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private PseudonymProposal() {}

    public static String propose(byte[] key, String project, String patientKey) {
        byte[] h = KeyedHash.hmac(key, "pseudonym|" + project + "|" + patientKey);
        long bits = 0;
        for (int i = 0; i < 8; i++) bits = (bits << 8) | (h[i] & 0xFF);
        StringBuilder sb = new StringBuilder("H");
        for (int i = 0; i < 12; i++) {
            sb.append(CROCKFORD[(int) ((bits >>> (59 - 5 * i)) & 31)]);
        }
        return sb.toString();
    }

    /** The patient's key in the mapping: issuer-aware, spaces and case of the PatientID normalised. */
    public static String patientKey(String issuer, String patientId) {
        return issuer.trim().toUpperCase() + "|" + WHITESPACE.matcher(patientId).replaceAll("").toUpperCase();
    }

}

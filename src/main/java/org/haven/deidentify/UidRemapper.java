package org.haven.deidentify;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;


/**
 * Deterministic keyed UID remapping: {@code "2.25." + decimal(first 128 bits of HMAC-SHA256(key, project + "|" + uid))}.
 * The same key, project and UID give the same new UID on every node and every rerun, so references between files
 * (ReferencedSOPInstanceUID → SOPInstanceUID, FrameOfReferenceUID, ...) stay consistent without a shared table.
 * Results are at most 44 characters (5 + 39 digits) and valid UID syntax (no leading zeros in the component).
 * Thread-safe.
 */
public final class UidRemapper {
    /**
     * Study, series and frame-of-reference UIDs recur across consecutive files; instance UIDs never do. A small cache,
     * emptied when full, keeps the recurring ones without letting a long run's instance UIDs grow the heap (a cache
     * that stopped adding at 100,000 entries filled with dead instance UIDs and grew a 10^5-file batch's memory).
     */
    private static final int CACHE_LIMIT = 4_096;
    private final byte[] key;
    private final String project;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public UidRemapper(byte[] key, String project) {
        if (key == null || key.length == 0) throw new IllegalArgumentException("UID remapping key must not be empty");
        if (project == null || project.isBlank()) throw new IllegalArgumentException("project must not be empty");
        this.key = Arrays.copyOf(key, key.length);
        this.project = project;
    }

    public String project() { return project; }

    /** The remapped UID; null and blank stay as they are. Surrounding spaces/NUL padding are ignored. */
    public String remap(String uid) {
        if (uid == null) return null;
        String u = strip(uid);
        if (u.isEmpty()) return u;
        String cached = cache.get(u);
        if (cached != null) return cached;
        byte[] h = hmac(key, project + "|" + u);
        String out = "2.25." + new BigInteger(1, Arrays.copyOf(h, 16)).toString();
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(u, out);
        return out;
    }

    /**
     * Keyed one-way hash of a value for the {@code hash} action: 16 upper-case hex digits (fits SH, LO, CS, AE).
     * Domain-separated from UID remapping so a hash never equals a remapped UID's digits.
     */
    public String hash(String value) {
        byte[] h = hmac(key, "hash|" + project + "|" + (value == null ? "" : strip(value)));
        return HexFormat.of().withUpperCase().formatHex(h, 0, 8);
    }

    static String strip(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) end--;
        int start = 0;
        while (start < end && s.charAt(start) == ' ') start++;
        return s.substring(start, end);
    }

    static byte[] hmac(byte[] key, String message) { return org.haven.identifiers.KeyedHash.hmac(key, message); }
}

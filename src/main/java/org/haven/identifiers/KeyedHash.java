package org.haven.identifiers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under the project key: the one primitive behind pseudonyms, UID remapping, date offsets and the
 * {@code hash} action. Each use prefixes its own domain ("pseudonym|", "dateshift|", ...) so values never collide.
 * Each thread keeps its initialised Mac for the last key it used (looking up and keying a Mac cost more than the
 * hash of a UID; {@link Mac#doFinal} leaves it ready for the next message).
 */
public final class KeyedHash {
    private record Keyed(byte[] key, Mac mac) {}

    private static final ThreadLocal<Keyed> MAC = new ThreadLocal<>();

    private KeyedHash() {}

    public static byte[] hmac(byte[] key, String message) {
        Keyed k = MAC.get();
        if (k == null || !Arrays.equals(k.key(), key)) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                k = new Keyed(key.clone(), mac);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 not available", e);
            }
            MAC.set(k);
        }
        return k.mac().doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}

package org.haven.identifiers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under the project key: the one primitive behind pseudonyms, UID remapping, date offsets and the
 * {@code hash} action. Each use prefixes its own domain ("pseudonym|", "dateshift|", ...) so values never collide.
 */
public final class KeyedHash {
    private KeyedHash() {}

    public static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
    }
}

package org.haven.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** HMAC-SHA256 with the per-thread Mac: RFC 4231 vectors, keys alternating, a caller's key array changed after use. */
class KeyedHashTest {
    static String hex(byte[] key, String message) { return HexFormat.of().formatHex(KeyedHash.hmac(key, message)); }

    @Test
    void rfc4231VectorsWithKeysAlternating() {
        byte[] jefe = "Jefe".getBytes(StandardCharsets.US_ASCII);
        byte[] twenty = new byte[20];
        java.util.Arrays.fill(twenty, (byte) 0x0b);
        for (int i = 0; i < 3; i++) {
            assertThat(hex(jefe, "what do ya want for nothing?")).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
            assertThat(hex(twenty, "Hi There")).isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        }
        byte[] changing = "Jefe".getBytes(StandardCharsets.US_ASCII);
        String before = hex(changing, "what do ya want for nothing?");
        changing[0] = 'X';
        assertThat(hex(changing, "what do ya want for nothing?")).isNotEqualTo(before);
    }
}

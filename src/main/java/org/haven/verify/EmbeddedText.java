package org.haven.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The text inside a binary private value that a profile keeps (Siemens CSA image and series headers, the Siemens XA
 * protocol, GE's gzip'd protocol data block), so the gate can scan it like any text value: runs of at least four
 * printable ASCII characters, one per line, after unpacking a gzip stream that starts within the first 16 bytes.
 * Bounded: a blob with more than {@link #MAX_CHARS} characters of text is {@link #TOO_LONG}, which the gate reports
 * as a finding (fail closed: what cannot be scanned is not released).
 */
final class EmbeddedText {
    static final int MAX_CHARS = 8 << 20;
    private static final int MIN_RUN = 4;
    /** Marker (compared by identity) for text too long to scan. */
    static final String TOO_LONG = new String("embedded text too long to scan");

    private EmbeddedText() {}

    /** The embedded text, or null when there is none. */
    static String of(byte[] b) {
        if (b == null || b.length == 0) return null;
        byte[] data = b;
        int gz = gzipAt(b);
        if (gz >= 0) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b, gz, b.length - gz))) {
                data = in.readNBytes(MAX_CHARS + 1);
                if (data.length > MAX_CHARS) return TOO_LONG;
            } catch (IOException e) {
                data = b; // not really gzip: scan the bytes as they are
            }
        }
        StringBuilder out = new StringBuilder();
        int start = -1;
        for (int i = 0; i <= data.length; i++) {
            int c = i < data.length ? data[i] & 0xff : 0;
            boolean printable = (c >= 0x20 && c < 0x7f) || c == '\t';
            if (printable) {
                if (start < 0) start = i;
                continue;
            }
            if (start >= 0 && i - start >= MIN_RUN) {
                if (out.length() + (i - start) > MAX_CHARS) return TOO_LONG;
                out.append(new String(data, start, i - start, StandardCharsets.US_ASCII)).append('\n');
            }
            start = -1;
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static int gzipAt(byte[] b) {
        for (int i = 0; i + 2 < b.length && i < 16; i++) {
            if ((b[i] & 0xff) == 0x1f && (b[i + 1] & 0xff) == 0x8b && b[i + 2] == 8) return i;
        }
        return -1;
    }
}

package org.haven.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project key behind pseudonyms, UID remapping and date shifts. It comes from {@code HAVEN_SECRET_KEY}
 * (setting {@code haven.secret.key}) or a key file outside the repository; on embedded defaults a random key is
 * generated into the workspace once. Losing the key does not lose issued pseudonyms (they are in the store) but
 * changes UIDs and date offsets of future releases: back it up with the database.
 */
public final class SecretKey {
    private static final Logger LOG = LoggerFactory.getLogger(SecretKey.class);

    private SecretKey() {}

    public static byte[] load(Settings settings) throws IOException {
        String inline = settings.get("haven.secret.key");
        if (!inline.isEmpty()) return inline.getBytes(StandardCharsets.UTF_8);
        Path file = settings.path("haven.secret.key-file");
        if (!Files.exists(file)) {
            if (!settings.getBoolean("haven.secret.generate")) {
                throw new IOException("no secret key: set HAVEN_SECRET_KEY or create " + file);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(file, HexFormat.of().formatHex(key) + "\n");
            try {
                Files.setPosixFilePermissions(file, Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            LOG.warn("generated a new secret key in {}: back it up; production sets HAVEN_SECRET_KEY", file);
        }
        String text = Files.readString(file).trim();
        if (text.isEmpty()) throw new IOException("secret key file " + file + " is empty");
        return text.getBytes(StandardCharsets.UTF_8);
    }

}

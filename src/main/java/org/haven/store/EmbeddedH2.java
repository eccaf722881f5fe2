package org.haven.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The embedded default store (an H2 file), made safe to lose the process at any moment and closed to others:
 * <ul>
 * <li>{@code WRITE_DELAY=0}: H2 otherwise writes committed changes to its file up to half a second later, so a
 * kill -9 loses rows whose messages the broker has already forgotten (files with no record, or no fate). The cost is
 * one write per commit; production uses PostgreSQL.</li>
 * <li>A generated password, kept owner-only beside the database ({@code <name>.password}), instead of {@code sa}
 * with none: the AUTO_SERVER port (bound to 127.0.0.1, see {@link Store}) is then useless to other local users.</li>
 * </ul>
 */
final class EmbeddedH2 {
    private EmbeddedH2() {}

    static boolean applies(String url) { return url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:file:"); }

    static String durable(String url) {
        return url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY=") ? url : url + ";WRITE_DELAY=0";
    }

    /**
     * A store that writes at every commit ({@code WRITE_DELAY=0}) splits its pages at 4 KB instead of MVStore's 16 KB:
     * each commit writes every page it changed whole (the file's row, its events, the indexes), so smaller pages mean
     * less serialized and written per commit. A warm node's drop: -9 to -11 % CPU, its consumers -16 to -19 %; 2 KB
     * was worse; a batch's store (writing every 500 ms) gained nothing and grew 10 MB (bench/RESULTS.md, 1 December).
     * Not stored in the file: it applies to existing stores too.
     */
    static String withSmallPages(String url) {
        String u = url.toUpperCase(Locale.ROOT);
        if (!applies(url) || !u.contains("WRITE_DELAY=0;") && !u.endsWith("WRITE_DELAY=0") || u.contains("PAGE_SIZE=")) return url;
        return url + ";PAGE_SIZE=4096";
    }

    /**
     * Any H2 store (file or in-memory, e.g. the stage profiler's): a file's journey uses about 15 distinct
     * statements, and H2 re-parses any beyond its per-session cache (8 by default) at every prepare.
     */
    static String withQueryCache(String url) {
        if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:") || url.toUpperCase(Locale.ROOT).contains("QUERY_CACHE_SIZE=")) return url;
        return url + ";QUERY_CACHE_SIZE=64";
    }

    /** The store's password: read from its file, or generated (and set on a database created without one). */
    static String password(String url, String user) {
        Path db = databasePath(url);
        Path file = db.resolveSibling(db.getFileName() + ".password");
        try {
            if (Files.isRegularFile(file)) return Files.readString(file, StandardCharsets.UTF_8).trim();
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            String generated = HexFormat.of().formatHex(b);
            Files.createDirectories(db.getParent());
            OwnerOnly.restrict(java.util.List.of(db.getParent()));
            if (Files.exists(db.resolveSibling(db.getFileName() + ".mv.db"))) {
                // a store from before passwords: set one now, with the old empty password
                try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
                    st.execute("alter user \"" + user.toUpperCase(Locale.ROOT).replace("\"", "") + "\" set password '" + generated + "'");
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, generated + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the embedded store's password beside it", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set a password on the embedded store (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** {@code jdbc:h2:file:./work/db/haven;AUTO_SERVER=TRUE} → {@code ./work/db/haven}. */
    static Path databasePath(String url) {
        String rest = url.substring("jdbc:h2:file:".length());
        int semi = rest.indexOf(';');
        return Path.of(semi < 0 ? rest : rest.substring(0, semi));
    }
}

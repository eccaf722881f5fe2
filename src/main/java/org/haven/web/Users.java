package org.haven.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.haven.store.Store;

/**
 * Review UI users in the SQL store. Passwords are hashed with PBKDF2-HMAC-SHA256 from the JDK
 * ({@code PBKDF2WithHmacSHA256}, 16-byte random salt, {@value #ITERATIONS} iterations, 256-bit hash), stored as
 * {@code pbkdf2-sha256$iterations$salt$hash}. There is no default user or password: {@code ./run.sh user add} creates them.
 */
public final class Users {
    public static final int ITERATIONS = 210_000;
    public static final Set<String> ROLES = Set.of("reviewer", "admin");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Store store;

    public Users(Store store) { this.store = store; }

    public record User(String name, String role) {
        public boolean isAdmin() { return role.equals("admin"); }
    }

    /** Adds a user, or replaces the role and password of an existing one. */
    public void put(String name, String role, char[] password) throws SQLException {
        if (!name.matches("[A-Za-z0-9._@-]{1,100}")) throw new IllegalArgumentException("user name: letters, digits, . _ @ - only (1-100)");
        if (!ROLES.contains(role)) throw new IllegalArgumentException("role must be reviewer or admin");
        if (password.length < 12) throw new IllegalArgumentException("password must be at least 12 characters");
        String hash = hash(password);
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("update web_user set role = ?, password_hash = ?, enabled = true where name = ?")) {
                del.setString(1, role);
                del.setString(2, hash);
                del.setString(3, name);
                if (del.executeUpdate() == 0) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "insert into web_user (name, role, password_hash, enabled, created_at) values (?, ?, ?, true, ?)")) {
                        ps.setString(1, name);
                        ps.setString(2, role);
                        ps.setString(3, hash);
                        ps.setTimestamp(4, Timestamp.from(Instant.now()));
                        ps.executeUpdate();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("delete from web_session where user_name = ?")) {
                ps.setString(1, name); // a changed password ends the user's sessions
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    public void disable(String name) throws SQLException {
        try (Connection c = store.connection()) {
            try (PreparedStatement ps = c.prepareStatement("update web_user set enabled = false where name = ?")) {
                ps.setString(1, name);
                if (ps.executeUpdate() == 0) throw new IllegalArgumentException("no such user");
            }
            try (PreparedStatement ps = c.prepareStatement("delete from web_session where user_name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
        }
    }

    /** The user when the name exists, is enabled and the password matches; the hash is computed either way. */
    public Optional<User> authenticate(String name, char[] password) throws SQLException {
        String stored = null, role = null;
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select password_hash, role from web_user where name = ? and enabled = true")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    stored = rs.getString(1);
                    role = rs.getString(2);
                }
            }
        }
        boolean ok = verify(password, stored == null ? DUMMY : stored) && stored != null;
        return ok ? Optional.of(new User(name, role)) : Optional.empty();
    }

    private static final String DUMMY = hash("not-a-password-anyone-has".toCharArray());

    static String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + ITERATIONS + "$" + b64(salt) + "$" + b64(pbkdf2(password, salt, ITERATIONS));
    }

    static boolean verify(char[] password, String stored) {
        String[] p = stored.split("\\$");
        if (p.length != 4 || !p[0].equals("pbkdf2-sha256")) return false;
        byte[] expected = Base64.getDecoder().decode(p[3]);
        byte[] actual = pbkdf2(password, Base64.getDecoder().decode(p[2]), Integer.parseInt(p[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        try {
            KeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) { return Base64.getEncoder().withoutPadding().encodeToString(b); }

    /** A random password of 20 characters (about 119 bits) for {@code user add} without stdin. */
    public static String generatePassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }
}

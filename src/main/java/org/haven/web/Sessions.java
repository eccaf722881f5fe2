package org.haven.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.haven.store.Store;

/**
 * Signed-in sessions in the SQL store (so every node behind a load balancer knows them). The cookie carries a random
 * 256-bit token; the store keeps only its SHA-256. Sessions expire after {@code idle} without use (sliding).
 */
public final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Store store;
    private final Duration idle;

    public Sessions(Store store, Duration idle) {
        this.store = store;
        this.idle = idle;
    }

    public record Session(String token, String user, String role, String csrf) {
        public boolean isAdmin() { return role.equals("admin"); }
    }

    public Session create(Users.User user) throws SQLException {
        String token = random();
        String csrf = random();
        Instant now = Instant.now();
        try (Connection c = store.connection()) {
            try (PreparedStatement ps = c.prepareStatement("delete from web_session where expires_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into web_session (token_hash, user_name, csrf_token, created_at, expires_at) values (?, ?, ?, ?, ?)")) {
                ps.setString(1, sha256(token));
                ps.setString(2, user.name());
                ps.setString(3, csrf);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(now.plus(idle)));
                ps.executeUpdate();
            }
        }
        return new Session(token, user.name(), user.role(), csrf);
    }

    /** The live session for a cookie token (extending it), or empty when unknown, expired or the user is disabled. */
    public Optional<Session> find(String token) throws SQLException {
        if (token == null || token.isEmpty() || token.length() > 100) return Optional.empty();
        String hash = sha256(token);
        Instant now = Instant.now();
        try (Connection c = store.connection()) {
            Session s = null;
            try (PreparedStatement ps = c.prepareStatement("select s.user_name, u.role, s.csrf_token from web_session s join web_user u on u.name = s.user_name"
                    + " where s.token_hash = ? and s.expires_at > ? and u.enabled = true")) {
                ps.setString(1, hash);
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) s = new Session(token, rs.getString(1), rs.getString(2), rs.getString(3));
                }
            }
            if (s == null) return Optional.empty();
            try (PreparedStatement ps = c.prepareStatement("update web_session set expires_at = ? where token_hash = ?")) {
                ps.setTimestamp(1, Timestamp.from(now.plus(idle)));
                ps.setString(2, hash);
                ps.executeUpdate();
            }
            return Optional.of(s);
        }
    }

    public void end(String token) throws SQLException {
        if (token == null) return;
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement("delete from web_session where token_hash = ?")) {
            ps.setString(1, sha256(token));
            ps.executeUpdate();
        }
    }

    public Duration idle() { return idle; }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.haven.resolve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.haven.app.Settings;
import org.haven.identifiers.ChiNumber;

/**
 * An optional external patient index (a board's master patient index, a PHS extract) queried over JDBC with a
 * configurable query: {@code haven.resolve.external.query} takes the issuer and the local id as its two parameters
 * and returns the CHI in its first column. Answers are cached for {@code cache-minutes} (misses for one minute, so
 * a person added to the index is found soon). A value that is not a valid CHI counts as no answer.
 */
public final class ExternalIndex implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final String query;
    private final long hitMillis;
    private final long missMillis = 60_000;
    private final int maxEntries;
    private final Map<String, Cached> cache;

    private record Cached(String chi, long until) {}

    public ExternalIndex(String url, String user, String password, String query, int cacheMinutes, int maxEntries) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) config.setUsername(user);
        if (password != null && !password.isEmpty()) config.setPassword(password);
        config.setMaximumPoolSize(2);
        config.setPoolName("haven-patient-index");
        config.setInitializationFailTimeout(-1); // the node starts even when the index is down; lookups then retry
        config.setConnectionTimeout(10_000);
        config.setReadOnly(true);
        this.dataSource = new HikariDataSource(config);
        this.query = query;
        this.hitMillis = cacheMinutes * 60_000L;
        this.maxEntries = maxEntries;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) { return size() > ExternalIndex.this.maxEntries; }
        };
    }

    /** From settings; null when {@code haven.resolve.external.url} is empty. */
    public static ExternalIndex fromSettings(Settings s) {
        String url = s.get("haven.resolve.external.url");
        if (url.isEmpty()) return null;
        String query = s.get("haven.resolve.external.query");
        if (query.chars().filter(ch -> ch == '?').count() != 2) {
            throw new IllegalArgumentException("haven.resolve.external.query must have two parameters (?): issuer, local id");
        }
        return new ExternalIndex(url, s.get("haven.resolve.external.user"), s.get("haven.resolve.external.password"), query,
            s.getInt("haven.resolve.external.cache-minutes"), s.getInt("haven.resolve.external.cache-size"));
    }

    public Optional<String> chiFor(String issuer, String localId) throws SQLException {
        if (localId.isEmpty()) return Optional.empty();
        String key = issuer + "|" + localId;
        long now = System.currentTimeMillis();
        synchronized (cache) {
            Cached c = cache.get(key);
            if (c != null && c.until() > now) return Optional.ofNullable(c.chi());
        }
        String chi = null;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, issuer);
            ps.setString(2, localId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String v = rs.getString(1);
                    if (v != null && ChiNumber.isValid(v.replaceAll("\\s+", ""))) chi = v.replaceAll("\\s+", "");
                }
            }
        }
        synchronized (cache) {
            cache.put(key, new Cached(chi, now + (chi == null ? missMillis : hitMillis)));
        }
        return Optional.ofNullable(chi);
    }

    @Override
    public void close() { dataSource.close(); }
}

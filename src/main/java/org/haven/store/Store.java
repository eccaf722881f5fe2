package org.haven.store;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * The SQL store: a pooled DataSource on H2 or PostgreSQL, with the schema migrated by Flyway at start-up.
 * An embedded H2 file store is made crash-safe and private here (see {@link EmbeddedH2}).
 */
public final class Store implements AutoCloseable {
    static {
        // H2's AUTO_SERVER mode (other processes, e.g. ./run.sh devices, share the file store) opens a TCP server
        // that H2 binds to every interface unless told otherwise; read once when H2 loads, so set it before.
        if (System.getProperty("h2.bindAddress") == null) System.setProperty("h2.bindAddress", "127.0.0.1");
    }

    private final HikariDataSource dataSource;

    private Store(HikariDataSource dataSource) { this.dataSource = dataSource; }

    public static Store open(String jdbcUrl, String user, String password, int poolSize) {
        if (EmbeddedH2.applies(jdbcUrl)) {
            jdbcUrl = EmbeddedH2.durable(jdbcUrl);
            if (password == null || password.isEmpty()) password = EmbeddedH2.password(jdbcUrl, user);
        }
        jdbcUrl = EmbeddedH2.withSmallPages(EmbeddedH2.withQueryCache(jdbcUrl));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isEmpty()) config.setUsername(user);
        if (password != null && !password.isEmpty()) config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("haven-store");
        // survive a database restart: fail fast per query, reconnect on the next
        config.setInitializationFailTimeout(30_000);
        config.setConnectionTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new Store(ds);
    }

    public DataSource dataSource() { return dataSource; }

    public Connection connection() throws SQLException { return dataSource.getConnection(); }

    /** True for a unique or primary-key violation (SQLState 23505 on both H2 and PostgreSQL). */
    public static boolean isDuplicateKey(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState())) return true;
        }
        return false;
    }

    @Override
    public void close() { dataSource.close(); }
}

package org.haven.store;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** The SQL store: a pooled DataSource on H2 or PostgreSQL, with the schema migrated by Flyway at start-up. */
public final class Store implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Store(HikariDataSource dataSource) { this.dataSource = dataSource; }

    public static Store open(String jdbcUrl, String user, String password, int poolSize) {
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

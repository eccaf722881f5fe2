package org.haven.release;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A JDBC driver for {@code jdbc:lostanswer:<url>} that hands out the connections of {@code <url>}, one of which can be
 * made to lose the answer to a commit: once {@link #arm armed} with a piece of SQL, the next commit of a transaction
 * that prepared a statement containing it is carried out and then reported as a broken connection (SQLState 08006),
 * as when the network or the database server goes away between the commit and its acknowledgement.
 */
final class LostAnswerDriver implements Driver {
    static final String PREFIX = "jdbc:lostanswer:";
    private static final LostAnswerDriver INSTANCE = new LostAnswerDriver();
    private static final AtomicReference<String> ARMED = new AtomicReference<>();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code url} behind this driver. */
    static String wrap(String url) {
        return PREFIX + url;
    }

    /** The next commit of a transaction that prepared SQL containing {@code sql} lands and then loses its answer. */
    static void arm(String sql) {
        ARMED.set(sql);
    }

    /** Whether the armed commit has happened (the driver disarms itself when it loses the answer). */
    static boolean fired() {
        return ARMED.get() == null;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) return null;
        Connection real = DriverManager.getConnection(url.substring(PREFIX.length()), info);
        boolean[] marked = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            String armed = ARMED.get();
            if (method.getName().equals("prepareStatement") && armed != null && args[0] instanceof String sql && sql.contains(armed)) {
                marked[0] = true;
            }
            if (method.getName().equals("rollback") && (args == null || args.length == 0)) marked[0] = false;
            Object out;
            try {
                out = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("commit")) {
                boolean lose = marked[0] && ARMED.compareAndSet(armed, null);
                marked[0] = false;
                if (lose) throw new SQLException("connection reset after the commit (test)", "08006");
            }
            return out;
        });
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() { return 1; }

    @Override
    public int getMinorVersion() { return 0; }

    @Override
    public boolean jdbcCompliant() { return false; }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}

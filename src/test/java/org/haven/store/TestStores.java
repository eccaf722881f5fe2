package org.haven.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** A test's store: a fresh in-memory H2 database, or a fresh schema on the machine's PostgreSQL dropped afterwards. */
public final class TestStores {
    public static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

    private TestStores() {}

    public interface StoreTest { void run(Store store) throws Exception; }

    public static void onH2(StoreTest test) throws Exception {
        try (Store store = Store.open("jdbc:h2:mem:test" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2)) {
            test.run(store);
        }
    }

    /** On schema {@code name}_pid (several test runs may share the server). */
    public static void onPostgres(String name, StoreTest test) throws Exception {
        String schema = name + "_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        }
        try (Store store = Store.open(PG + "?currentSchema=" + schema, "postgres", "", 2)) {
            test.run(store);
        } finally {
            try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }
}

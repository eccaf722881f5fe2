package org.haven.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files of one device are counted without a shared row lock: two fate transactions sighting the same device are open
 * at once, and a fold that meets a sighting committing under it counts that sighting once, later. On H2 and PostgreSQL.
 */
class SightingCountsTest {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void filesOfOneDeviceAreSightedByTransactionsOpenAtOnce(String db) throws Exception {
        on(db, store -> {
            Fixture f = new Fixture(store);
            for (int i = 0; i < 3; i++) f.devices.sighted(f.file(i), f.signature, Optional.empty(), "test"); // its examples: full
            try (Connection first = store.connection(); Connection second = store.connection()) {
                first.setAutoCommit(false);
                second.setAutoCommit(false);
                f.devices.sighting(f.file(3), null, f.signature, Optional.empty(), "test").write(first);
                lockTimeout(second, db);
                // waits on nothing the first holds: a wait here ends in a lock timeout and fails the test
                f.devices.sighting(f.file(4), null, f.signature, Optional.empty(), "test").write(second);
                second.commit();
                first.commit();
            }
            assertThat(seen(store)).isEqualTo(Map.of("lothian", 5L));
            assertThat(f.counts.fold()).isEqualTo(5);
            assertThat(number(store, "select files from device_seen")).isEqualTo(5);
            assertThat(number(store, "select count(*) from device_sighting")).isZero();
            assertThat(seen(store)).isEqualTo(Map.of("lothian", 5L));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSightingCommittingUnderAFoldIsCountedOnceByTheNext(String db) throws Exception {
        on(db, store -> {
            Fixture f = new Fixture(store);
            f.devices.sighted(f.file(0), f.signature, Optional.empty(), "test");
            assertThat(f.counts.fold()).isEqualTo(1);
            String sid = f.signature.id();
            try (Connection late = store.connection()) {
                late.setAutoCommit(false);
                SightingCounts.count(late, sid, "lothian", new java.sql.Timestamp(System.currentTimeMillis())); // the lower id
                f.devices.sighted(f.file(1), f.signature, Optional.empty(), "test"); // a higher id, committed
                f.counts.fold.afterRead = () -> {
                    try {
                        late.commit(); // between the fold's read (which did not see it) and its delete (which does)
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                };
                assertThat(f.counts.fold()).as("the fold that met it gives up").isZero();
                f.counts.fold.afterRead = () -> { };
            }
            assertThat(seen(store)).isEqualTo(Map.of("lothian", 3L));
            assertThat(f.counts.fold()).isEqualTo(2);
            assertThat(number(store, "select files from device_seen")).isEqualTo(3);
            assertThat(number(store, "select files from device_seen_board")).isEqualTo(3);
            assertThat(number(store, "select count(*) from device_sighting")).isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void filesSightedAtOnceStillBecomeTheDevicesExamples(String db) throws Exception {
        on(db, store -> {
            Fixture f = new Fixture(store);
            String one = f.file(0), second = f.file(1), third = f.file(2);
            f.devices.sighted(one, f.signature, Optional.empty(), "test"); // the device, with one example
            // the third reads the one example, then waits for the second's row to add its own
            sightWhileHeld(store, db, f, second, third);
            try (Connection c = store.connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select examples from device_seen")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1).split(",")).containsExactlyInAnyOrder(one, second, third);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void twoWorkersSeeingANewDeviceAtOnceRegisterItOnce(String db) throws Exception {
        on(db, store -> {
            Fixture f = new Fixture(store);
            String one = f.file(0), two = f.file(1);
            sightWhileHeld(store, db, f, one, two); // the second meets the new device's uncommitted row
            f.counts.fold();
            assertThat(number(store, "select count(*) from device_seen")).isEqualTo(1);
            assertThat(number(store, "select files from device_seen")).isEqualTo(2);
        });
    }

    /**
     * Sights {@code held} in a transaction left open, then {@code other} on another thread; once that one waits for a
     * lock, commits the first and waits for the other to finish.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aDevicesRowKeepsEachRawSpellingInItsColumn(String db) throws Exception {
        on(db, store -> {
            Fixture f = new Fixture(store);
            Manufacturers table = Manufacturers.load(Path.of("config/manufacturers.yaml"));
            DeviceSignature first = DeviceSignature.of("CT", "GE MEDICAL SYSTEMS", "Revolution", "1", "STATION-A", "GEMS_IDEN_01",
                "512x512", "1.2.840.10008.5.1.4.1.1.2", "", "", "", table);
            DeviceSignature later = DeviceSignature.of("CT", "GE Medical Systems", "Revolution", "1", "STATION-B", "GEMS_PARM_01",
                "256x256", "1.2.840.10008.5.1.4.1.1.2.1", "", "", "", table);
            assertThat(later.id()).isEqualTo(first.id());
            String columns = "select manufacturer_raw || '|' || model_raw || '|' || station_name || '|' || image_size || '|'"
                + " || sop_class_uid || '|' || private_creators from device_seen";
            f.devices.sighted(f.file(0), first, Optional.empty(), "test"); // inserts the row
            assertThat(text(store, columns)).isEqualTo("GE MEDICAL SYSTEMS|Revolution|STATION-A|512x512|1.2.840.10008.5.1.4.1.1.2|GEMS_IDEN_01");
            f.devices.sighted(f.file(1), later, Optional.empty(), "test"); // rewrites the spellings (the first rewrite is due at once)
            assertThat(text(store, columns)).isEqualTo("GE Medical Systems|Revolution|STATION-B|256x256|1.2.840.10008.5.1.4.1.1.2.1|GEMS_PARM_01");
        });
    }

    private static String text(Store store, String sql) throws SQLException {
        try (Connection c = store.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void sightWhileHeld(Store store, String db, Fixture f, String held, String other) throws Exception {
        try (Connection first = store.connection()) {
            first.setAutoCommit(false);
            f.devices.sighting(held, null, f.signature, Optional.empty(), "test").write(first);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<?> second = pool.submit(() -> {
                    f.devices.sighted(other, f.signature, Optional.empty(), "test");
                    return null;
                });
                awaitLockWait(store, db);
                first.commit();
                second.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Until a session of this store waits for a lock (the other sighting's statement on the device's row). */
    private static void awaitLockWait(Store store, String db) throws Exception {
        String sql = db.equals("h2")
            ? "select count(*) from information_schema.sessions where session_id <> session_id()"
                + " and (blocker_id is not null or executing_statement like '%device_seen%')" // H2 shows some waits only so
            : "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()";
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Connection c = store.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                if (rs.getLong(1) > 0) return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the second sighting never waited for the first");
    }

    private static final class Fixture {
        final DeviceStore devices;
        final SightingCounts counts;
        final FileRecords records;
        final DeviceSignature signature;

        Fixture(Store store) throws Exception {
            devices = new DeviceStore(store);
            counts = new SightingCounts(store);
            records = new FileRecords(store);
            signature = DeviceSignature.of("CT", "GE MEDICAL SYSTEMS", "Revolution", "1", "", "", "512x512", "", "", "", "",
                Manufacturers.load(Path.of("config/manufacturers.yaml")));
        }

        String file(int i) throws SQLException {
            String id = String.format("%064x", 100 + i);
            records.receive(id, "lothian", "src", 1, "test");
            return id;
        }
    }

    private static Map<String, Long> seen(Store store) throws SQLException {
        try (Connection c = store.connection()) {
            Map<String, Map<String, Long>> all = SightingCounts.byBoard(c);
            assertThat(all).hasSize(1);
            return all.values().iterator().next();
        }
    }

    private static long number(Store store, String sql) throws SQLException {
        try (Connection c = store.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static void lockTimeout(Connection c, String db) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(db.equals("h2") ? "set lock_timeout 2000" : "set lock_timeout = '2s'");
        }
    }

    interface StoreWork {
        void run(Store store) throws Exception;
    }

    /** Runs {@code work} on a fresh H2 store or a fresh PostgreSQL schema (skipped when PostgreSQL is not reachable). */
    static void on(String db, StoreWork work) throws Exception {
        if (db.equals("h2")) {
            try (Store store = Store.open("jdbc:h2:mem:sightings" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 6)) {
                work.run(store);
            }
            return;
        }
        String schema = "sightings_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        } catch (SQLException e) {
            assumeTrue(false, "PostgreSQL not reachable: " + e.getMessage());
        }
        try (Store store = Store.open(PG + "?currentSchema=" + schema, "postgres", "", 6)) {
            work.run(store);
        } finally {
            try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }
}

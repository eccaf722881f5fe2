package org.haven.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.junit.jupiter.api.Test;

/**
 * Two workers that see a new device at the same moment register it once (unique signature id, insert-or-update),
 * on PostgreSQL and on H2; every file is counted once per device and board, even when its message is redelivered, and
 * even when two deliveries of one file are sighted at the same moment.
 */
class DeviceStoreConcurrencyTest {
    static final int DEVICES = 25;
    static final int TWICE = 40;

    @Test
    void twoWorkersRegisterANewDeviceOnceOnPostgres() throws Exception {
        SightingCountsTest.on("postgresql", DeviceStoreConcurrencyTest::race);
    }

    @Test
    void twoWorkersRegisterANewDeviceOnceOnH2() throws Exception {
        SightingCountsTest.on("h2", DeviceStoreConcurrencyTest::race);
    }

    private static void race(Store store) throws Exception {
        FileRecords records = new FileRecords(store);
        DeviceStore devices = new DeviceStore(store);
        Manufacturers m = Manufacturers.load(java.nio.file.Path.of("config/manufacturers.yaml"));
        List<String[]> files = new ArrayList<>(); // per device: file of worker A, file of worker B
        for (int d = 0; d < DEVICES; d++) {
            String a = String.format("%064x", 2 * d + 1), b = String.format("%064x", 2 * d + 2);
            records.receive(a, "lothian", "src", 1, "test");
            records.receive(b, d % 2 == 0 ? "lothian" : "tayside", "src", 1, "test");
            files.add(new String[] {a, b});
        }
        String[] spellings = {"SIEMENS", "Siemens Healthineers "};
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicBoolean sighting = new java.util.concurrent.atomic.AtomicBoolean(true);
        try {
            Future<?> folding = folding(pool, new SightingCounts(store), sighting);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    for (int d = 0; d < DEVICES; d++) {
                        DeviceSignature s = DeviceSignature.of("MR", spellings[worker], "Model " + d, "VE11", "", "", "256x256", "", "", "", "", m);
                        barrier.await();
                        devices.sighted(files.get(d)[worker], s, Optional.empty(), "worker-" + worker);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            sighting.set(false);
            folding.get();
        } finally {
            pool.shutdownNow();
        }
        // a redelivered message for a file already counted changes nothing
        devices.sighted(files.get(0)[0], DeviceSignature.of("MR", "SIEMENS", "Model 0", "VE11", "", "", "256x256", "", "", "", "", m),
            Optional.empty(), "worker-0");

        twoDeliveriesOfOneFileCountItOnce(records, devices, m);
        new SightingCounts(store).fold(); // whatever the folds racing the sightings left

        try (Connection c = store.connection()) {
            assertThat(count(c, "select count(*) from device_sighting")).isZero();
            // each device with the two workers' spellings, the device seen twice at once with its one
            assertThat(count(c, "select count(*) from device_spelling")).isEqualTo(2 * DEVICES + 1);
            assertThat(count(c, "select count(*) from device_spelling where manufacturer_raw = 'Siemens Healthineers'")).isEqualTo(DEVICES);
            assertThat(count(c, "select count(*) from device_seen")).isEqualTo(DEVICES + 1);
            assertThat(count(c, "select count(*) from device_seen where files = 2 and state = 'review' and device_id is null")).isEqualTo(DEVICES);
            assertThat(count(c, "select files from device_seen where model = 'Model twice'")).isEqualTo(TWICE);
            assertThat(count(c, "select sum(files) from device_seen_board")).isEqualTo(2 * DEVICES + TWICE);
            assertThat(count(c, "select count(*) from device_seen_board where board = 'tayside'")).isEqualTo(DEVICES / 2);
            assertThat(count(c, "select count(*) from haven_file where signature_id is null")).isZero();
            try (PreparedStatement ps = c.prepareStatement("select examples, manufacturer from device_seen where model <> 'Model twice'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getString(1).split(",")).hasSize(2);
                    assertThat(rs.getString(2)).isEqualTo("Siemens");
                }
            }
        }
    }

    /** Two nodes folding the sightings into the totals while the workers count them (each sighting added once). */
    private static Future<?> folding(ExecutorService pool, SightingCounts counts, java.util.concurrent.atomic.AtomicBoolean sighting) {
        java.util.concurrent.Callable<Void> fold = () -> {
            while (sighting.get()) {
                try {
                    counts.fold();
                } catch (java.sql.SQLException e) {
                    if (!String.valueOf(e.getSQLState()).startsWith("40") && !"HYT00".equals(e.getSQLState()) && !"90131".equals(e.getSQLState())) throw e;
                }
            }
            return null;
        };
        Future<?> a = pool.submit(fold), b = pool.submit(fold);
        return new java.util.concurrent.CompletableFuture<Void>() {
            @Override public Void get() throws InterruptedException, java.util.concurrent.ExecutionException {
                a.get();
                b.get();
                return null;
            }
        };
    }

    /**
     * A message delivered twice at once (a redelivery racing its first delivery): the file's row lock makes the second
     * sighting wait and find the file already counted.
     */
    private static void twoDeliveriesOfOneFileCountItOnce(FileRecords records, DeviceStore devices, Manufacturers m) throws Exception {
        List<String> files = new ArrayList<>();
        for (int f = 0; f < TWICE; f++) {
            String id = String.format("%064x", 1000 + f);
            records.receive(id, "lothian", "src", 1, "test");
            files.add(id);
        }
        DeviceSignature s = DeviceSignature.of("CT", "GE MEDICAL SYSTEMS", "Model twice", "1", "", "", "512x512", "", "", "", "", m);
        devices.sighted(files.get(0), s, Optional.empty(), "first"); // the device exists: both deliveries take the update path
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                done.add(pool.submit(() -> {
                    for (String id : files) {
                        barrier.await();
                        devices.sighted(id, s, Optional.empty(), "delivery");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9, twice, on embedded defaults (persistent embedded broker, H2 file store; issue 13): H2 used to keep the
 * last half second of commits in memory, so the broker remembered messages whose rows were gone. After both kills
 * every dropped file has exactly one fate, and every released file has its record.
 */
class EmbeddedCrashTest {
    @TempDir
    Path tmp;

    @Test
    void twoKillNinesOnTheEmbeddedStoreLoseNothing() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(5L).write(5, archive);
        Path work = tmp.resolve("work");
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), TestNode.trustAll("research"));
        String dbUrl = "jdbc:h2:file:" + work.resolve("db/haven") + ";AUTO_SERVER=TRUE"; // the default, with an absolute workspace
        Map<String, String> env = Map.of("HAVEN_WORKSPACE", work.toString(), "HAVEN_DEVICES", devices.toString(),
            "HAVEN_SECRET_KEY", TestNode.KEY, "HAVEN_DB_URL", dbUrl, "HAVEN_ROUTES_RELOAD", "false",
            "HAVEN_INBOX_MIN_AGE_MS", "100", "HAVEN_INBOX_POLL_MS", "100", "HAVEN_NODE", "embedded-crash",
            "HAVEN_WEB_ENABLED", "false");
        Path logs = Files.createDirectories(Path.of("target/embedded-crash-logs"));

        Process first = CrashRecoveryTest.start(env, logs.resolve("first.log"));
        Path inbox = work.resolve("inbox");
        awaitStarted(logs.resolve("first.log"), 90);
        int dropped = 0;
        for (AnswerKey.FileEntry f : key.files()) {
            Path target = inbox.resolve(f.board()).resolve("f" + (dropped++) + ".dcm");
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(archive.resolve(f.path()), part);
            Files.move(part, target);
        }
        Store store = new Store(dbUrl, work.resolve("db/haven.password"));
        // the store's server (AUTO_SERVER) listens on the loopback only, and needs the generated password
        Path lock = work.resolve("db/haven.lock.db");
        awaitFile(lock, 60);
        assertServerOnLoopbackOnly(Files.readString(lock));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("db/haven.password"))))
            .isEqualTo("rw-------");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverManager.getConnection(dbUrl, "sa", "").close())
            .isInstanceOf(java.sql.SQLException.class);
        store.await("select count(*) from file_outcome", dropped / 4, 120);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        Process second = CrashRecoveryTest.start(env, logs.resolve("second.log"));
        awaitStarted(logs.resolve("second.log"), 90);
        int before = store.await("select count(*) from file_outcome", dropped / 2, 120);
        second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(before).as("outcomes before the second kill").isLessThan(dropped);

        Process third = CrashRecoveryTest.start(env, logs.resolve("third.log"));
        try {
            awaitStarted(logs.resolve("third.log"), 90);
            store.await("select count(*) from file_outcome", dropped, 240);
            Thread.sleep(1000); // let anything duplicated show itself
            assertThat(store.count("select count(*) from haven_file")).isEqualTo(dropped);
            assertThat(store.count("select count(*) from file_outcome")).isEqualTo(dropped);
            assertThat(store.count("select count(*) from file_event where event in ('released','quarantined')")).isEqualTo(dropped);
            assertThat(store.count("select count(*) from file_event where event = 'reconciled'")).as("records the store lost").isZero();
            int released = store.count("select count(*) from file_outcome where outcome = 'released'");
            assertThat(released).isPositive();
            Set<String> recorded = store.strings("select location from file_outcome where outcome = 'released'");
            Set<String> onDisk = new HashSet<>();
            for (Path p : CrashRecoveryTest.regularFiles(work.resolve("release"), ".dcm")) {
                onDisk.add(work.resolve("release").relativize(p).toString());
            }
            assertThat(onDisk).as("every released file has its record, and every record its file").isEqualTo(recorded);
            assertThat(CrashRecoveryTest.regularFiles(inbox, ".dcm")).isEmpty();
            assertThat(CrashRecoveryTest.regularFiles(work.resolve("staging"), ".dcm")).isEmpty();
            assertThat(CrashRecoveryTest.regularFiles(work.resolve("outgoing"), ".dcm")).isEmpty();
            System.out.printf("embedded crash: %d files, %d decided before the second kill, all decided after (%d released)%n",
                dropped, before, released);
        } finally {
            third.destroy();
            third.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The port named in H2's lock file answers on 127.0.0.1 and on none of this host's other addresses. */
    static void assertServerOnLoopbackOnly(String lockFile) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("server=[^\\n]*?(\\d+)\\s*\\n").matcher(lockFile);
        assertThat(m.find()).as("server port in %s", lockFile).isTrue();
        int port = Integer.parseInt(m.group(1));
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
        }
        for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress()) continue;
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    try (java.net.Socket s = new java.net.Socket()) {
                        s.connect(new java.net.InetSocketAddress(a, port), 2000);
                    }
                }).as("store server reachable on %s", a).isInstanceOf(java.io.IOException.class);
            }
        }
    }

    /** Reads the node's H2 store while it runs (AUTO_SERVER), with the password the node generated. */
    record Store(String url, Path passwordFile) {
        Connection connect() throws Exception {
            return DriverManager.getConnection(url, "sa", Files.readString(passwordFile).trim());
        }

        int count(String sql) throws Exception {
            try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            }
        }

        Set<String> strings(String sql) throws Exception {
            Set<String> out = new HashSet<>();
            try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }

        int await(String sql, int atLeast, int seconds) throws Exception {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            int n = 0;
            while (System.nanoTime() < deadline) {
                try {
                    n = count(sql);
                    if (n >= atLeast) return n;
                } catch (Exception e) {
                    // store not created yet, or between owners
                }
                Thread.sleep(200);
            }
            throw new AssertionError(sql + " reached " + n + ", expected at least " + atLeast);
        }
    }

    /**
     * Waits for the node's start-up line: only then may this test open the store, or it would own the file itself
     * (AUTO_SERVER: the first process to open it serves the others) and the kill would not test the node's store.
     */
    static void awaitStarted(Path log, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("Haven node embedded-crash started")) return;
            Thread.sleep(100);
        }
        throw new AssertionError("node did not start, see " + log);
    }

    static void awaitFile(Path p, int seconds) throws InterruptedException {
        for (int i = 0; i < seconds * 10 && !Files.exists(p); i++) Thread.sleep(100);
        assertThat(p).exists();
    }
}

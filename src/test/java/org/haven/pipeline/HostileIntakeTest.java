package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.haven.ingest.DropFolders;
import org.haven.store.FileRecords;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop folders under hostile conditions (issue 13): a slow writer, a zero-length file, a sparse 2 GB file,
 * symbolic links and FIFOs, a folder named like a patient, a board using done markers. Every file ends with one fate
 * or is refused with a count; nothing half-written is taken and nothing outside the inbox is followed.
 */
class HostileIntakeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    List<Path> samples;

    @BeforeEach
    void synthesise() throws Exception {
        Path dir = tmp.resolve("synth");
        new SyntheticArchive(11L).write(2, dir);
        try (Stream<Path> s = Files.walk(dir)) {
            samples = new ArrayList<>(s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList());
        }
        assertThat(samples.size()).isGreaterThanOrEqualTo(4);
    }

    private TestNode node(String... settings) throws Exception {
        TestNode.Builder b = TestNode.builder(tmp.resolve("node")).devices(TestNode.trustAll("research"));
        for (int i = 0; i < settings.length; i += 2) b.setting(settings[i], settings[i + 1]);
        return b.start();
    }

    @Test
    void aSlowWriterIsWaitedForAndTheCompleteFileArrives() throws Exception {
        try (TestNode node = node()) {
            byte[] whole = Files.readAllBytes(samples.get(0));
            Path target = Files.createDirectories(node.inbox().resolve("slow")).resolve("slow.dcm");
            // chunks with pauses far longer than the stability window (200 ms): "unchanged for a while" is not "complete"
            try (OutputStream out = Files.newOutputStream(target)) {
                int chunk = whole.length / 4 + 1;
                for (int off = 0; off < whole.length; off += chunk) {
                    out.write(whole, off, Math.min(chunk, whole.length - off));
                    out.flush();
                    Thread.sleep(700);
                    assertThat(target).as("the inbox file while its writer still has it open").exists();
                }
            }
            FileRecords.Outcome o = node.awaitOutcome(sha256(whole), WAIT);
            assertThat(o.reason()).as("the complete file is what arrives").isNotEqualTo("unreadable");
            assertThat(column(node, "select size_bytes from haven_file where board = 'slow'")).containsExactly(String.valueOf(whole.length));
            awaitGone(target);
        }
    }

    @Test
    void emptyFilesLinksFifosHugeFilesAndPatientNamedFoldersGetAFateOrARefusal() throws Exception {
        Path secret = Files.writeString(tmp.resolve("outside.dcm"), "ZZSECRET not for the haven\n");
        try (TestNode node = node()) {
            Path inbox = node.inbox();
            // a symbolic link to a file outside the inbox, a linked folder and a FIFO: refused, never opened
            Files.createSymbolicLink(Files.createDirectories(inbox.resolve("links")).resolve("passwd.dcm"), secret);
            Files.createSymbolicLink(inbox.resolve("linked-folder"), tmp);
            Path fifo = inbox.resolve("links").resolve("pipe.dcm");
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
            // a zero-length file must get a fate and not stall the polls
            Path empty = Files.createFile(Files.createDirectories(inbox.resolve("empty")).resolve("empty.dcm"));
            // a sparse 2 GB file (truncate -s 2G): over the limit, held without being read
            Path big = Files.createDirectories(inbox.resolve("big")).resolve("big.dcm");
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
                f.setLength(2L * 1024 * 1024 * 1024);
            }
            // a top-level folder named like a patient is not a board
            Path patientFolder = Files.createDirectories(inbox.resolve("SMITH^JOHN"));
            Files.copy(samples.get(1), patientFolder.resolve("x.dcm"));
            // and an ordinary file on another board still flows
            Files.copy(samples.get(2), Files.createDirectories(inbox.resolve("fife")).resolve("ok.dcm"));

            node.awaitOutcome(sha256(Files.readAllBytes(samples.get(2))), WAIT);
            FileRecords.Outcome e = node.awaitOutcome(sha256(new byte[0]), WAIT);
            assertThat(e.reason()).isEqualTo("empty-file");
            awaitGone(empty);

            String bigId = awaitId(node, "select file_id from haven_file where board = 'big'");
            assertThat(node.awaitOutcome(bigId, WAIT).reason()).isEqualTo("too-large");
            awaitGone(big);

            FileRecords.Outcome invalid = node.awaitOutcome(sha256(Files.readAllBytes(samples.get(1))), WAIT);
            assertThat(invalid.reason()).isEqualTo("invalid-board");
            assertThat(column(node, "select distinct board from haven_file")).doesNotContain("SMITH^JOHN").contains("invalid-board");

            DropFolders drop = node.haven.camel().getRegistry().lookupByNameAndType("dropFolders", DropFolders.class);
            awaitTrue(() -> drop.status().refused() == 3, "three refused entries (two links, one FIFO)");
            assertThat(inbox.resolve("links").resolve("passwd.dcm")).isSymbolicLink();
            assertThat(secret).hasContent("ZZSECRET not for the haven");
            assertThat(column(node, "select file_id from haven_file where board = 'links'")).isEmpty();
            for (Path p : CrashRecoveryTest.regularFiles(node.root.resolve("work"), "")) {
                if (Files.isSymbolicLink(p)) continue;
                assertThat(Files.size(p) > 1 << 20 || !new String(Files.readAllBytes(p)).contains("ZZSECRET")).as("secret copied into %s", p).isTrue();
            }
        }
    }

    @Test
    void aDoneMarkerBoardWaitsForItsMarker() throws Exception {
        try (TestNode node = node("haven.inbox.complete.marked", "done-marker")) {
            Path dir = Files.createDirectories(node.inbox().resolve("marked"));
            Path file = Files.copy(samples.get(3), dir.resolve("a.dcm"));
            Files.copy(samples.get(0), Files.createDirectories(node.inbox().resolve("other")).resolve("b.dcm"));
            node.awaitOutcome(sha256(Files.readAllBytes(samples.get(0))), WAIT); // polls have passed over the unmarked file
            assertThat(file).exists();
            assertThat(node.records.outcome(sha256(Files.readAllBytes(samples.get(3))))).isEmpty();
            Files.createFile(dir.resolve("a.dcm.done"));
            node.awaitOutcome(sha256(Files.readAllBytes(samples.get(3))), WAIT);
            awaitGone(file);
            awaitGone(dir.resolve("a.dcm.done"));
        }
    }

    @Test
    void anUndeletableInboxFileIsTakenOnceAndCounted() throws Exception {
        try (TestNode node = node()) {
            Path file = Files.copy(samples.get(1), Files.createDirectories(node.inbox().resolve("sticky")).resolve("x.dcm"));
            Process chattr = new ProcessBuilder("chattr", "+i", file.toString()).redirectErrorStream(true).start();
            String why = new String(chattr.getInputStream().readAllBytes()).trim();
            org.junit.jupiter.api.Assumptions.assumeTrue(chattr.waitFor() == 0, "chattr +i not possible here: " + why);
            try {
                String id = sha256(Files.readAllBytes(file));
                node.awaitOutcome(id, WAIT);
                DropFolders drop = node.haven.camel().getRegistry().lookupByNameAndType("dropFolders", DropFolders.class);
                awaitTrue(() -> drop.status().counts().toString().contains("1 taken but not removable"), "counted as not removable");
                // a later file decided means many polls have passed over the stuck one
                Files.copy(samples.get(2), node.inbox().resolve("sticky").resolve("y.dcm"));
                node.awaitOutcome(sha256(Files.readAllBytes(samples.get(2))), WAIT);
                assertThat(column(node, "select event from file_event where file_id = '" + id + "' and event = 'duplicate'"))
                    .as("re-received").isEmpty();
                assertThat(file).exists();
            } finally {
                new ProcessBuilder("chattr", "-i", file.toString()).start().waitFor();
            }
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static List<String> column(TestNode node, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = node.haven.store().connection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static String awaitId(TestNode node, String sql) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> ids = column(node, sql);
            if (!ids.isEmpty()) return ids.get(0);
            Thread.sleep(100);
        }
        throw new AssertionError("nothing for " + sql);
    }

    static void awaitGone(Path p) throws Exception {
        awaitTrue(() -> !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS), p.getFileName() + " removed from the inbox");
    }

    interface Check { boolean ok() throws Exception; }

    static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("not reached: " + what);
    }
}

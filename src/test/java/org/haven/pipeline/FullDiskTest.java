package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.haven.ingest.DropFolders;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (issue 13): the workspace and the H2 store sit on a small tmpfs that is filled to below the free-space
 * watermark. Intake pauses with a status instead of failing half-way; files wait in the inbox; no partial copy is
 * left; when space returns every file gets its fate. Needs root (mount); skipped with a message otherwise.
 */
class FullDiskTest {
    @TempDir
    Path tmp;

    @Test
    void intakePausesBelowTheWatermarkAndResumesWhenSpaceReturns() throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", disk.toString()).redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes()).trim();
        Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (needs root): " + why);
        try {
            run(disk);
        } finally {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
        }
    }

    private void run(Path disk) throws Exception {
        Path synth = tmp.resolve("synth");
        new SyntheticArchive(21L).write(2, synth);
        List<Path> files;
        try (Stream<Path> s = Files.walk(synth)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(10).toList();
        }
        Path root = disk.resolve("node");
        try (TestNode node = TestNode.builder(root).devices(TestNode.trustAll("research"))
                .setting("haven.disk.min-free-mb", "16")
                .setting("haven.broker.persistent", "true") // the journal on the full disk too
                .setting("haven.db.url", "jdbc:h2:file:" + root.resolve("work/db/haven")).start()) {
            DropFolders drop = node.haven.camel().getRegistry().lookupByNameAndType("dropFolders", DropFolders.class);
            // fill the disk to about 1 MB free: less than the files about to arrive
            Path ballast = disk.resolve("ballast");
            long fill = Files.getFileStore(disk).getUsableSpace() - (1 << 20);
            try (OutputStream out = Files.newOutputStream(ballast)) {
                byte[] mb = new byte[1 << 20];
                for (long done = 0; done < fill; done += mb.length) out.write(mb, 0, (int) Math.min(mb.length, fill - done));
            }
            HostileIntakeTest.awaitTrue(() -> drop.status().paused() != null, "intake paused");
            Path inbox = node.inbox().resolve("fife");
            Files.createDirectories(inbox);
            int n = 0;
            for (Path f : files) {
                try {
                    Files.copy(f, inbox.resolve("f" + (n) + ".dcm"));
                    n++;
                } catch (java.io.IOException full) {
                    break; // the inbox shares the full disk: drop what fits
                }
            }
            assertThat(n).isPositive();
            Thread.sleep(1500); // several polls while paused
            assertThat(drop.status().paused()).contains("watermark");
            assertThat(count(node, "select count(*) from haven_file")).as("nothing taken while the disk is full").isZero();
            assertThat(CrashRecoveryTest.regularFiles(inbox, ".dcm")).hasSize(n);

            Files.delete(ballast); // space returns
            int dropped = n;
            HostileIntakeTest.awaitTrue(() -> count(node, "select count(*) from file_outcome") == dropped, "every file decided");
            assertThat(drop.status().paused()).isNull();
            assertThat(count(node, "select count(*) from haven_file")).isEqualTo(dropped);
            assertThat(CrashRecoveryTest.regularFiles(inbox, ".dcm")).isEmpty();
            assertThat(partials(root.resolve("work"))).as("partial copies").isEmpty();
        }
    }

    static int count(TestNode node, String sql) throws Exception {
        try (Connection c = node.haven.store().connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static List<Path> partials(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }
}

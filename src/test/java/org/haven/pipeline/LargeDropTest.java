package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.haven.ingest.DropFolders;
import org.haven.ingest.IntakeStatus;
import org.haven.synth.CtSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drop far larger than a poll takes (issue #19 item 3): the drop folders watch a window of at most twice
 * {@code haven.inbox.max-files-per-poll} files at once (with no stability wait; more with one: DropFoldersWindowTest), so a node's memory does not grow with the drop, and still
 * take every file exactly once, complete. The test drives the polls itself (timers off, stability window 0: a file
 * is ready when a second poll sees it unchanged).
 */
class LargeDropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int PER_POLL = 4, WINDOW = 2 * PER_POLL;

    @TempDir
    Path tmp;

    private TestNode node(String... settings) throws Exception {
        TestNode.Builder b = TestNode.builder(tmp.resolve("node")).devices(TestNode.trustAll("research"))
            .setting("haven.timers.enabled", "false")
            .setting("haven.inbox.min-age-ms", "0")
            .setting("haven.inbox.max-files-per-poll", String.valueOf(PER_POLL));
        for (int i = 0; i < settings.length; i += 2) b.setting(settings[i], settings[i + 1]);
        return b.start();
    }

    @Test
    void aDropLargerThanTheWindowIsWatchedAWindowAtATimeAndEveryFileTakenOnce() throws Exception {
        try (TestNode node = node()) {
            List<String> ids = drop(node, "lothian", 30, 1);
            DropFolders drop = node.haven.camel().getRegistry().lookupByNameAndType("dropFolders", DropFolders.class);
            int polls = pollUntilEmpty(drop, node.inbox().resolve("lothian"));
            assertThat(polls).as("polls to take 30 files, %d per poll", PER_POLL).isGreaterThanOrEqualTo(30 / PER_POLL);
            for (String id : ids) assertThat(node.awaitOutcome(id, WAIT).outcome()).isEqualTo("released");
            assertThat(HostileIntakeTest.column(node, "select count(*) from file_event where event = 'received'")).containsExactly("30");
            assertThat(HostileIntakeTest.column(node, "select count(*) from file_event where event = 'duplicate'")).containsExactly("0");
        }
    }

    @Test
    void filesThatNeverCompleteDoNotKeepTheRestOutOfTheWindow() throws Exception {
        try (TestNode node = node("haven.inbox.complete.marked", "done-marker")) {
            // more unmarked files than the window holds, first by path ("marked" < "other"): they fill it and stay
            List<String> marked = drop(node, "marked", 12, 2);
            List<String> others = drop(node, "other", 3, 3);
            DropFolders drop = node.haven.camel().getRegistry().lookupByNameAndType("dropFolders", DropFolders.class);
            pollUntilEmpty(drop, node.inbox().resolve("other"));
            for (String id : others) assertThat(node.awaitOutcome(id, WAIT).outcome()).isEqualTo("released");
            List<Path> unmarked = dicomFiles(node.inbox().resolve("marked"));
            assertThat(unmarked).as("files waiting for their marker are never taken").hasSize(12);

            for (Path f : unmarked) Files.createFile(f.resolveSibling(f.getFileName() + ".done"));
            pollUntilEmpty(drop, node.inbox().resolve("marked"));
            for (String id : marked) assertThat(node.awaitOutcome(id, WAIT).outcome()).isEqualTo("released");
        }
    }

    @Test
    void intakeWaitsWhileTheStageQueuesHoldAPollsWorthOfFiles() throws Exception {
        try (TestNode node = node()) {
            node.haven.camel().getRouteController().stopRoute("classify-queue"); // the pipeline falls behind
            List<String> ids = drop(node, "lothian", 30, 4);
            Path folder = node.inbox().resolve("lothian");
            DropFolders drop = node.haven.camel().getRegistry().lookupByNameAndType("dropFolders", DropFolders.class);
            for (int polls = 0; classifyDepth(node) < PER_POLL; polls++) {
                assertThat(polls).as("polls before a poll's worth of files is queued").isLessThan(20);
                drop.poll();
            }
            int left = dicomFiles(folder).size();
            for (int i = 0; i < 5; i++) drop.poll();
            assertThat(dicomFiles(folder)).as("files taken while a poll's worth of files is queued").hasSize(left);
            assertThat(classifyDepth(node)).isBetween((long) PER_POLL, (long) WINDOW);

            node.haven.camel().getRouteController().startRoute("classify-queue");
            pollUntilEmpty(drop, folder);
            for (String id : ids) assertThat(node.awaitOutcome(id, WAIT).outcome()).isEqualTo("released");
        }
    }

    static long classifyDepth(TestNode node) throws Exception {
        org.apache.activemq.broker.BrokerService broker =
            org.apache.activemq.broker.BrokerRegistry.getInstance().lookup(node.haven.settings().get("haven.broker.name"));
        return broker.getDestination(new org.apache.activemq.command.ActiveMQQueue("haven.classify"))
            .getDestinationStatistics().getMessages().getCount();
    }

    /** Writes {@code files} CT files outside the inbox, then moves their folder into {@code inbox/<board>/} at once. */
    private List<String> drop(TestNode node, String board, int files, long seed) throws Exception {
        Path written = tmp.resolve("written-" + board);
        new CtSet(seed, true).write(files, 1 + files / 10, written);
        List<String> ids = new ArrayList<>();
        for (Path f : dicomFiles(written)) ids.add(HostileIntakeTest.sha256(Files.readAllBytes(f)));
        Files.createDirectories(node.inbox());
        Files.move(written, node.inbox().resolve(board));
        return ids;
    }

    /**
     * Polls (as the timer does, a little apart) until no DICOM file is left under {@code folder}; after every poll, at
     * most one poll's worth of files has gone and at most the window is watched. Returns the number of polls.
     */
    private static int pollUntilEmpty(DropFolders drop, Path folder) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int polls = 1; System.nanoTime() < deadline; polls++) {
            if (polls > 1) Thread.sleep(20);
            int before = dicomFiles(folder).size();
            drop.poll();
            int after = dicomFiles(folder).size();
            IntakeStatus status = drop.status();
            assertThat(before - after).as("files taken by poll %d", polls).isBetween(0, PER_POLL);
            assertThat(status.watched()).as("files watched after poll %d", polls).isLessThanOrEqualTo(WINDOW);
            if (after == 0) return polls;
        }
        throw new AssertionError("files left in the inbox after " + WAIT);
    }

    static List<Path> dicomFiles(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }
}

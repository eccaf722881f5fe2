package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.haven.ingest.DropFolders;
import org.haven.synth.CtSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A drop-folder poll sends its files' messages in one broker transaction (one journal write instead of one per file),
 * and only a committed send lets a file leave the inbox: on the embedded broker, driven poll by poll (timers off).
 */
class IntakeSendsTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private TestNode node() throws Exception {
        return TestNode.builder(tmp.resolve("node")).devices(TestNode.trustAll("research"))
            .setting("haven.timers.enabled", "false")
            .setting("haven.inbox.min-age-ms", "0")
            .start();
    }

    @Test
    void aPollsMessagesReachTheQueueTogetherAtItsCommit() throws Exception {
        try (TestNode node = node()) {
            node.haven.camel().getRouteController().stopRoute("classify-queue"); // what is sent stays queued
            List<String> ids = drop(node, 6, 1);
            DropFolders drop = dropFolders(node);
            AtomicLong queuedBeforeCommit = new AtomicLong(-1);
            TransactionOperations nodes = drop.sends(); // as the node was started
            drop.sendsTogether(new TransactionOperations() {
                @Override
                public <T> T execute(org.springframework.transaction.support.TransactionCallback<T> action) {
                    return nodes.execute(status -> {
                        T result = action.doInTransaction(status);
                        queuedBeforeCommit.set(classifyDepth(node)); // every send done, none committed yet
                        return result;
                    });
                }
            });
            drop.poll(); // sees the files
            drop.poll(); // takes them
            assertThat(queuedBeforeCommit.get()).as("messages on haven.classify before the poll's commit").isZero();
            assertThat(classifyDepth(node)).as("messages on haven.classify after it").isEqualTo(ids.size());
            assertThat(LargeDropTest.dicomFiles(node.inbox())).as("files left in the inbox").isEmpty();

            node.haven.camel().getRouteController().startRoute("classify-queue");
            for (String id : ids) assertThat(node.awaitOutcome(id, WAIT).outcome()).isEqualTo("released");
        }
    }

    @Test
    void filesWhoseSendsDidNotCommitStayInTheInboxAndAreTakenAgain() throws Exception {
        try (TestNode node = node()) {
            List<String> ids = drop(node, 5, 2);
            DropFolders drop = dropFolders(node);
            TransactionOperations real = drop.sends();
            drop.sendsTogether(new TransactionOperations() {
                @Override
                public <T> T execute(org.springframework.transaction.support.TransactionCallback<T> action) {
                    return real.execute(status -> {
                        action.doInTransaction(status);
                        throw new IllegalStateException("the broker refused the commit"); // rolls the sends back
                    });
                }
            });
            drop.poll();
            drop.poll();
            assertThat(LargeDropTest.dicomFiles(node.inbox())).as("files left in the inbox after a poll whose sends rolled back").hasSize(ids.size());
            assertThat(classifyDepth(node)).isZero();
            assertThat(HostileIntakeTest.column(node, "select count(*) from file_event where event = 'received'"))
                .as("the poll recorded its files before sending").containsExactly(String.valueOf(ids.size()));

            drop.sendsTogether(real);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!LargeDropTest.dicomFiles(node.inbox()).isEmpty()) { // a failed take backs off (0.5 s, then longer)
                assertThat(System.nanoTime()).as("inbox emptied in time").isLessThan(deadline);
                Thread.sleep(200);
                drop.poll();
            }
            for (String id : ids) assertThat(node.awaitOutcome(id, WAIT).outcome()).isEqualTo("released");
        }
    }

    private static DropFolders dropFolders(TestNode node) {
        return node.haven.camel().getRegistry().lookupByNameAndType("dropFolders", DropFolders.class);
    }

    private static long classifyDepth(TestNode node) {
        try {
            return LargeDropTest.classifyDepth(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> drop(TestNode node, int files, long seed) throws Exception {
        Path written = tmp.resolve("written");
        new CtSet(seed, true).write(files, 2, written);
        List<String> ids = new ArrayList<>();
        for (Path f : LargeDropTest.dicomFiles(written)) ids.add(HostileIntakeTest.sha256(Files.readAllBytes(f)));
        Files.createDirectories(node.inbox());
        Files.move(written, node.inbox().resolve("lothian"));
        return ids;
    }
}

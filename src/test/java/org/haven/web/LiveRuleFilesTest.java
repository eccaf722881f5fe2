package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.config.LiveConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A running node picks up edits of config/verify/ and config/pixels/ without a restart (routes/config-watch.yaml): a
 * report rule saved to a file holds the next matching file; a broken pixel file is rejected with file:line and the
 * node goes on with the rules in force.
 */
class LiveRuleFilesTest {
    @TempDir
    Path tmp;

    @Test
    void ruleFilesReloadWhileRunning() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(LiveConfig.class);
        logger.addAppender(log);
        try (WebFixture w = new WebFixture(tmp)) {
            HeldInputs in = new HeldInputs(tmp.resolve("inputs"));
            AttributeList a = HeldInputs.image("MR", HeldInputs.MR, "1.1", 32, 32);
            // a kept coded value (CS): the cleaner leaves it, the gate scans it with every pattern rule
            HeldInputs.put(a, TagFromName.BodyPartExamined, "STUDY 1234");
            assertThat(w.submit(in.write(a), "lothian").outcome()).as("no rule for local study codes yet").isEqualTo("released");

            Files.writeString(w.config.resolve("verify/zz-local.yaml"),
                "rules:\n  - id: local-study-code\n    regex: 'STUDY [0-9]{4}'\n    classification: study-code\n");
            await(log, "reloaded", "verification rules");
            AttributeList b = HeldInputs.image("MR", HeldInputs.MR, "2.1", 32, 32);
            HeldInputs.put(b, TagFromName.BodyPartExamined, "STUDY 5678");
            var held = w.submit(in.write(b), "lothian");
            assertThat(held.outcome()).isEqualTo("quarantined");
            assertThat(held.reason()).isEqualTo("verification:study-code");
            // the text cleaner uses the same live rules: in free text the new rule's match is removed and the file released
            AttributeList d = HeldInputs.image("MR", HeldInputs.MR, "2.2", 32, 32);
            HeldInputs.put(d, TagFromName.ContrastBolusRoute, "IV as in STUDY 4321");  // a kept LO: free text the cleaner rewrites
            var cleaned = w.submit(in.write(d), "lothian");
            assertThat(cleaned.outcome()).as("free text cleaned with the reloaded rule").isEqualTo("released");
            com.pixelmed.dicom.AttributeList out = new com.pixelmed.dicom.AttributeList();
            out.read(w.node.release().resolve(cleaned.location()).toFile());
            assertThat(com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(out, TagFromName.ContrastBolusRoute))
                .doesNotContain("4321").contains("IV as in");

            Files.writeString(w.config.resolve("pixels/07-broken.yaml"), "rules:\n  - id: broken\n    when: {Modality: MR}\n    blank: [{x: 0}]\n");
            await(log, "rejected", "07-broken.yaml:");
            AttributeList c = HeldInputs.image("MR", HeldInputs.MR, "3.1", 32, 32);
            assertThat(w.submit(in.write(c), "lothian").outcome()).as("the rules in force stay").isEqualTo("released");
        } finally {
            logger.detachAppender(log);
        }
    }

    static void await(ListAppender<ILoggingEvent> log, String word, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (log.list.stream().map(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains(word) && m.contains(what))) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no log line with '" + word + "' and '" + what + "': " + log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
}

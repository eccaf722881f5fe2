package org.haven.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.haven.pixel.PixelRules;
import org.haven.text.NameLists;
import org.haven.verify.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The one reloader for live rule files: a valid edit is swapped in and logged "reloaded"; a broken one is rejected with file:line. */
class LiveConfigTest {
    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void capture() {
        log.start();
        ((Logger) LoggerFactory.getLogger(LiveConfig.class)).addAppender(log);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(LiveConfig.class)).detachAppender(log);
    }

    @Test
    void verificationRulesReloadAndBrokenEditsAreRejected() throws Exception {
        Path dir = tmp.resolve("verify");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - id: acme\n    regex: 'ACME-[0-9]{4}'\n    classification: local-id\n");
        LiveConfig<Verifier> live = LiveConfig.load("verification rules", List.of(dir), () -> Verifier.load(dir, NameLists.EMPTY));
        assertThat(live.get().ruleIds()).containsExactly("acme");
        assertThat(live.checkForChanges()).as("nothing changed").isFalse();

        Files.writeString(dir.resolve("more.yaml"), "rules:\n  - id: study\n    regex: 'STUDY-[0-9]{4}'\n    classification: study-code\n");
        assertThat(live.checkForChanges()).isTrue();
        assertThat(live.get().ruleIds()).containsExactly("study", "acme").hasSize(2);
        assertThat(messages()).anyMatch(m -> m.equals("verification rules reloaded"));

        Files.writeString(dir.resolve("more.yaml"), "rules:\n  - id: study\n    regex: '([unclosed'\n    classification: study-code\n");
        assertThat(live.checkForChanges()).isFalse();
        assertThat(live.get().ruleIds()).as("the version in force stays").contains("study", "acme");
        assertThat(messages()).anyMatch(m -> m.contains("change rejected") && m.contains("more.yaml:"));
        assertThat(live.checkForChanges()).as("the same broken edit is reported once").isFalse();
        long rejected = messages().stream().filter(m -> m.contains("change rejected")).count();
        assertThat(rejected).isEqualTo(1);
        assertThatThrownBy(live::reloadNow).isInstanceOf(ConfigException.class).hasMessageContaining("more.yaml:");
    }

    @Test
    void pixelRulesReload() throws Exception {
        Path dir = tmp.resolve("pixels");
        Files.createDirectories(dir);
        LiveConfig<PixelRules> live = LiveConfig.load("pixel rules", List.of(dir), () -> PixelRules.load(dir));
        assertThat(live.get().rules()).isEmpty();
        Files.writeString(dir.resolve("10-acme.yaml"), "rules:\n  - id: acme-us\n    when:\n      Modality: US\n    blank:\n      - {x: 0, y: 0, width: 10, height: 10}\n");
        assertThat(live.reloadNow().byId("acme-us")).isPresent();
        Files.writeString(dir.resolve("10-acme.yaml"), "rules:\n  - id: acme-us\n    when:\n      Modality: US\n    blank:\n      - {x: 0, y: 0, width: -1, height: 10}\n");
        assertThat(live.checkForChanges()).isFalse();
        assertThat(live.get().byId("acme-us")).isPresent();
    }

    private List<String> messages() { return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList(); }
}

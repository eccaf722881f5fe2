package org.haven.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.haven.app.Settings;
import org.junit.jupiter.api.Test;

/** haven.ops.stuck-after and where the status command finds the broker (never an in-process vm:// broker of its own). */
class OperationsSettingsTest {
    @Test
    void stuckAfterAcceptsShortAndIsoDurationsAndNamesTheSettingOtherwise() {
        assertThat(Durations.parse("k", "15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("k", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("k", " 2h ")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("k", "PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> Durations.parse("haven.ops.stuck-after", "soon")).hasMessageContaining("haven.ops.stuck-after")
            .hasMessageContaining("'soon'");
        assertThat(Durations.human(Duration.ofSeconds(75))).isEqualTo("1m15s");
        assertThat(Durations.human(Duration.ofSeconds(7260))).isEqualTo("2h1m");
    }

    @Test
    void statusNeverOpensAnInProcessBrokerAndGivesFailoverATimeout() {
        assertThat(OperationsSetup.brokerUrl(settings(Map.of()))).as("embedded, not listening: unreachable").isNull();
        assertThat(OperationsSetup.brokerUrl(settings(Map.of("haven.broker.listen", "tcp://0.0.0.0:61617?maximumConnections=10"))))
            .isEqualTo("tcp://127.0.0.1:61617");
        assertThat(OperationsSetup.brokerUrl(settings(Map.of("haven.broker.url", "tcp://mq:61616")))).isEqualTo("tcp://mq:61616");
        assertThat(OperationsSetup.brokerUrl(settings(Map.of("haven.broker.url", "failover:(tcp://a:61616,tcp://b:61616)"))))
            .isEqualTo("failover:(tcp://a:61616,tcp://b:61616)?timeout=2000&startupMaxReconnectAttempts=1");
        assertThat(OperationsSetup.brokerUrl(settings(Map.of("haven.broker.url", "failover:(tcp://a:61616)?randomize=false"))))
            .isEqualTo("failover:(tcp://a:61616)?randomize=false&timeout=2000&startupMaxReconnectAttempts=1");
        assertThat(OperationsSetup.brokerUrl(settings(Map.of("haven.ops.broker-url", "tcp://ops:61616")))).isEqualTo("tcp://ops:61616");
    }

    private static Settings settings(Map<String, String> overrides) {
        return Settings.load(Path.of("config/haven.properties"), Map.of(), overrides);
    }
}

package org.haven.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.haven.pipeline.Corpus;
import org.haven.store.OperationsRecords;
import org.haven.store.Store;
import org.haven.pipeline.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real node: valid Prometheus text (checked line by line against the exposition format), the
 * file counts equal to the store's, queue depths and consumers, and per-stage timings; a non-loopback bind needs a
 * token.
 */
class MetricsEndpointTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void metricsMatchTheStoreAndParseAsPrometheusText() throws Exception {
        Corpus.assumeAvailable();
        String mrOnly = "devices:\n  - id: mr\n    modality: MR\n    state: trusted\n    profile: basic\n";
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(mrOnly).setting("haven.ops.metrics.enabled", "true")
                .setting("haven.ops.metrics.port", "0").start()) {
            String mr = node.submit(Corpus.ROOT.resolve("pydicom/test_files/MR_small.dcm"), "lothian");
            String ct = node.submit(Corpus.ROOT.resolve("pydicom/test_files/CT_small.dcm"), "fife");
            assertThat(node.awaitOutcome(mr, WAIT).outcome()).isEqualTo("released");
            assertThat(node.awaitOutcome(ct, WAIT).reason()).isEqualTo("unknown-device");

            // a stage's timer records when its exchange completes, just after the outcome is committed: scrape until it has
            HttpResponse<String> r = null;
            Map<String, Double> samples = Map.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.haven.metrics().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                samples = PrometheusText.parse(r.body());
                if (stageCount(samples, "release") >= 1 && stageCount(samples, "quarantine") >= 1 && stageCount(samples, "classify") >= 2) break;
                Thread.sleep(200);
            }
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");

            Map<String, Integer> store = node.records.summary(null);
            assertThat(store).containsEntry("released", 1).containsEntry("quarantined:unknown-device", 1);
            assertThat(samples.get("haven_files{fate=\"released\",reason=\"\"}")).isEqualTo(store.get("released").doubleValue());
            assertThat(samples.get("haven_files{fate=\"quarantined\",reason=\"unknown-device\"}"))
                .isEqualTo(store.get("quarantined:unknown-device").doubleValue());
            assertThat(samples.keySet().stream().filter(k -> k.startsWith("haven_files{"))).hasSize(store.size());
            assertThat(samples.get("haven_files_in_flight")).isEqualTo(0.0);
            assertThat(samples.get("haven_files_stuck")).isEqualTo(0.0);
            assertThat(samples.get("haven_queue_statistics_available")).isEqualTo(1.0);
            assertThat(samples.get("haven_queue_depth{queue=\"haven.classify\"}")).isEqualTo(0.0);
            assertThat(samples.get("haven_queue_consumers{queue=\"haven.classify\"}")).isGreaterThanOrEqualTo(1.0);
            assertThat(samples.get("haven_warnings")).isEqualTo(0.0);
            // per-stage timings (Camel's Micrometer route policy): one timer per route, counted per exchange
            assertThat(stageCount(samples, "classify")).isEqualTo(2.0);
            assertThat(stageCount(samples, "deidentify")).isEqualTo(1.0);
            assertThat(stageCount(samples, "verify")).isEqualTo(1.0);
            assertThat(stageCount(samples, "release")).isEqualTo(1.0);
            assertThat(stageCount(samples, "quarantine")).isEqualTo(1.0);
        }
    }

    static double stageCount(Map<String, Double> samples, String route) {
        return samples.entrySet().stream()
            .filter(e -> e.getKey().startsWith("camel_route_policy_seconds_count{") && e.getKey().contains("eventType=\"route\"")
                && e.getKey().contains("routeId=\"" + route + "\""))
            .mapToDouble(Map.Entry::getValue).findFirst().orElse(0);
    }

    @Test
    void aNonLoopbackBindNeedsATokenAndATokenIsChecked() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThatThrownBy(() -> new MetricsServer("0.0.0.0", 0, "", registry, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("haven.ops.metrics.token");
        try (Store store = Store.open("jdbc:h2:mem:metrics" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
             MetricsServer server = new MetricsServer("127.0.0.1", 0, "s3cret-token", registry,
                 new Operations(new OperationsRecords(store), QueueStatistics.unavailable("no broker in this test"), "15m", null, null)::status).start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
            assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer wrong").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer s3cret-token").build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            Map<String, Double> samples = PrometheusText.parse(ok.body());
            assertThat(samples).containsEntry("haven_queue_statistics_available", 0.0).containsEntry("haven_warnings", 1.0)
                .containsEntry("haven_files_in_flight", 0.0);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/other"))
                .header("Authorization", "Bearer s3cret-token").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    /**
     * A strict reader of the Prometheus text exposition format 0.0.4: HELP/TYPE comments, one sample per line
     * ({@code name{label="value",...} number}), every sample's family declared by a TYPE line first. Returns
     * {@code name{labels}} (labels sorted as written) → value.
     */
    static final class PrometheusText {
        private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
        private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
        private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
        private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

        static Map<String, Double> parse(String text) {
            Map<String, String> types = new HashMap<>();
            Map<String, Double> out = new LinkedHashMap<>();
            int n = 0;
            for (String line : text.split("\n", -1)) {
                n++;
                if (line.isEmpty()) continue;
                Matcher m;
                if ((m = TYPE.matcher(line)).matches()) {
                    if (types.put(m.group(1), m.group(2)) != null) throw new AssertionError("line " + n + ": second TYPE for " + m.group(1));
                    continue;
                }
                if (HELP.matcher(line).matches() || line.startsWith("# ")) continue;
                if (!(m = SAMPLE.matcher(line)).matches()) throw new AssertionError("line " + n + ": not a sample: " + line);
                String name = m.group(1);
                String family = types.containsKey(name) ? name : name.replaceAll("_(bucket|count|sum|total|created|max)$", "");
                if (!types.containsKey(family) && !types.containsKey(name)) throw new AssertionError("line " + n + ": no TYPE for " + name);
                List<String> labels = new ArrayList<>();
                if (m.group(3) != null && !m.group(3).isEmpty()) {
                    for (String part : splitLabels(m.group(3), n)) {
                        if (!LABEL.matcher(part).matches()) throw new AssertionError("line " + n + ": bad label " + part);
                        labels.add(part);
                    }
                }
                double v = switch (m.group(4)) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(m.group(4));
                };
                String key = labels.isEmpty() ? name : name + "{" + String.join(",", labels) + "}";
                if (out.put(key, v) != null) throw new AssertionError("line " + n + ": duplicate sample " + key);
            }
            if (!text.endsWith("\n")) throw new AssertionError("exposition must end with a newline");
            return out;
        }

        private static List<String> splitLabels(String s, int line) {
            List<String> parts = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && quoted && i + 1 < s.length()) {
                    cur.append(c).append(s.charAt(++i));
                    continue;
                }
                if (c == '"') quoted = !quoted;
                if (c == ',' && !quoted) {
                    parts.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            if (quoted) throw new AssertionError("line " + line + ": unterminated label value");
            if (!cur.isEmpty()) parts.add(cur.toString());
            return parts;
        }
    }
}

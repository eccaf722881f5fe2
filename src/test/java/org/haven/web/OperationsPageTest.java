package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.haven.ops.StatusReport;
import org.haven.pipeline.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Operations page in headless Chromium on a real node with a released file, a held file and a file stuck in
 * front of a stage nobody consumes: the numbers on the page are the store's, the warnings name the queue and the
 * file, an admin's resubmit is audited, and the file is released exactly once. Any page error, console error, CSP
 * violation or non-2xx response fails the test. Reviewers see the page but cannot resubmit.
 */
class OperationsPageTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Installed before any page script: records errors, console errors, CSP violations and non-2xx responses. */
    static final String WATCH = """
        (() => {
          const errors = window.__problems = [];
          addEventListener('error', (e) => errors.push('error: ' + (e.message || (e.target && (e.target.src || e.target.href)) || e.type)), true);
          addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + e.reason));
          addEventListener('securitypolicyviolation', (e) => errors.push('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));
          for (const level of ['error', 'warn']) {
            const original = console[level];
            console[level] = (...args) => { errors.push('console.' + level + ': ' + args.join(' ')); original.apply(console, args); };
          }
          const fetch0 = window.fetch;
          window.fetch = async (...args) => {
            const r = await fetch0(...args);
            if (!r.ok) errors.push('HTTP ' + r.status + ' ' + (args[0] && args[0].url || args[0]));
            return r;
          };
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) if (e.responseStatus && (e.responseStatus < 200 || e.responseStatus > 299)) errors.push('HTTP ' + e.responseStatus + ' ' + e.name);
          }).observe({ type: 'resource', buffered: true });
        })();
        """;

    @TempDir
    Path tmp;

    @Test
    void operationsPageShowsTheStoreAndResubmitsAStuckFile() throws Exception {
        Chrome.assumeAvailable();
        WebFixture.assumeCorpus();
        try (TestNode node = WebFixture.webNode(tmp).setting("haven.ops.stuck-after", "1s").start();
             Chrome b = new Chrome(tmp.resolve("chromium-profile"))) {
            String base = "http://127.0.0.1:" + node.haven.web().port();
            Users users = new Users(node.haven.store());
            users.put("adam", "admin", WebFixture.ADMIN_PASSWORD.toCharArray());
            users.put("rita", "reviewer", WebFixture.REVIEWER_PASSWORD.toCharArray());

            String released = node.submit(WebFixture.CORPUS.resolve("MR_small.dcm"), "lothian");
            String held = node.submit(WebFixture.CORPUS.resolve("CT_small.dcm"), "fife");
            assertThat(node.awaitOutcome(released, WAIT).outcome()).isEqualTo("released");
            assertThat(node.awaitOutcome(held, WAIT).reason()).isEqualTo("unknown-device");
            // nobody consumes haven.classify: the next file waits there after it is received
            node.haven.camel().getRouteController().stopRoute("classify-queue");
            String stuck = node.submit(WebFixture.CORPUS.resolve("dicomdirtests/98892003/MR1/15820"), "lothian");
            awaitStatus(node, r -> r.files().stream().anyMatch(f -> f.fileId().equals(stuck) && f.stuck()));

            // signed in before the app loads, so that no request of the page may fail
            WebFixture.signInAdminFirst(b, base);
            b.send("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH));
            b.navigate(base + "/#/ops");
            b.waitFor("document.getElementById('ops-inflight')", WAIT);
            assertNoProblems(b);
            assertThat(b.text("document.getElementById('who').textContent")).contains("adam (admin)");

            Map<String, Integer> store = node.records.summary(null);
            assertThat(store).containsEntry("released", 1).containsEntry("quarantined:unknown-device", 1).hasSize(2);
            assertThat(number(b, "ops-total-released")).isEqualTo(1);
            assertThat(number(b, "ops-total-quarantined")).isEqualTo(1);
            assertThat(number(b, "ops-total-inFlight")).isEqualTo(1);
            assertThat(number(b, "ops-total-stuck")).isEqualTo(1);
            assertThat(number(b, "ops-total-received")).isEqualTo(3);
            JsonNode rows = b.eval("[...document.querySelectorAll('#ops-fates tr[data-fate]')].map(tr => [tr.dataset.fate, tr.dataset.reason, tr.cells[2].textContent])");
            assertThat(rows).hasSize(store.size());
            for (JsonNode row : rows) {
                String key = row.get(1).asText().isEmpty() ? row.get(0).asText() : row.get(0).asText() + ":" + row.get(1).asText();
                assertThat(Integer.parseInt(row.get(2).asText())).as(key).isEqualTo(store.get(key));
            }
            assertThat(b.eval("[...document.querySelectorAll('#ops-inflight tr[data-id]')].map(tr => tr.dataset.id)").toString())
                .isEqualTo("[\"" + stuck + "\"]");
            assertThat(b.text("document.querySelector('#ops-inflight tr[data-id]').textContent")).contains("received", "classify (haven.classify)");
            assertThat(b.text("document.querySelector('#ops-queues tr[data-queue=\"haven.classify\"] td.depth').textContent")).isEqualTo("1");
            assertThat(b.text("document.querySelector('#ops-queues tr[data-queue=\"haven.classify\"] td.consumers').textContent")).isEqualTo("0");
            assertThat(b.eval("[...document.querySelectorAll('#ops-warnings li')].map(li => li.dataset.kind + ' ' + li.dataset.subject)").toString())
                .contains("queue-without-consumers haven.classify", "file-stuck " + stuck);

            // resubmit (admin, comment required, confirmed), audited
            b.eval("window.confirm = () => true");
            b.type("ops-comment", "classify consumers were stopped for maintenance");
            b.click("#ops-inflight button.resubmit");
            b.waitFor("document.getElementById('msg').textContent.includes('resubmitted')", WAIT);
            assertNoProblems(b);
            assertThat(events(node, stuck)).containsSubsequence("received", "resubmitted");
            node.haven.camel().getRouteController().startRoute("classify-queue");
            assertThat(node.awaitOutcome(stuck, Duration.ofSeconds(60)).outcome()).isEqualTo("released");
            // both copies (the waiting one and the resubmitted one) reach the stages; the file is released once
            awaitStatus(node, r -> r.queues().queues().stream().allMatch(q -> q.depth() == 0));
            assertThat(events(node, stuck).stream().filter("released"::equals)).hasSize(1);

            b.click("#ops-refresh");
            b.waitFor("document.getElementById('ops-total-released').textContent === '2' && document.getElementById('ops-none-in-flight')", WAIT);
            assertThat(number(b, "ops-total-inFlight")).isZero();
            assertNoProblems(b);

            b.navigate(base + "/#/audit");
            b.waitFor("document.getElementById('audit') && document.getElementById('audit').textContent.includes('resubmit')", WAIT);
            assertThat(b.text("document.getElementById('audit').textContent")).contains("adam", "classify consumers were stopped for maintenance");
            assertNoProblems(b);

            // the watch is live: a failing request is caught
            b.eval("fetch('/api/no-such-thing').then(r => r.status)");
            assertThat(b.eval("window.__problems").toString()).contains("HTTP 404");

            // a reviewer sees the report but may not resubmit
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"rita\",\"password\":\"" + WebFixture.REVIEWER_PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String csrf = WebFixture.JSON.readTree(login.body()).get("csrf").asText();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/ops/status")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/ops/resubmit")).header("Cookie", cookie)
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"fileId\":\"" + stuck + "\",\"comment\":\"try\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        }
    }

    static int number(Chrome b, String id) throws Exception {
        return Integer.parseInt(b.text("document.getElementById('" + id + "').textContent"));
    }

    static void assertNoProblems(Chrome b) throws Exception {
        assertThat(b.eval("window.__problems").toString()).as("page errors, console errors, non-2xx responses").isEqualTo("[]");
    }

    static StatusReport awaitStatus(TestNode node, java.util.function.Predicate<StatusReport> p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        StatusReport r = null;
        while (System.nanoTime() < deadline) {
            r = node.haven.operations().status();
            if (p.test(r)) return r;
            Thread.sleep(200);
        }
        throw new AssertionError("status never matched; last: " + r);
    }

    static List<String> events(TestNode node, String fileId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = node.haven.store().connection();
             PreparedStatement ps = c.prepareStatement("select event from file_event where file_id = ? order by id")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}

package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.haven.pipeline.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view whose data arrives after the reviewer has moved on must not draw over the page they moved to. Each view's
 * request is held back in headless Chromium (a fetch gate installed before the app loads), the reviewer goes to
 * another page, then the held response is let through and the stale view's own promise is awaited: the page shown
 * must still be the one the reviewer went to. Without the app's navigation guard every view but the file page
 * (which had its own) drew over the next one.
 */
class StaleViewBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Holds back requests whose URL contains {@code __gate.pattern} until {@code __open()}; counts what it held. */
    static final String GATE = """
        (() => {
          const gate = window.__gate = { pattern: null, held: [] };
          const fetch0 = window.fetch;
          window.fetch = (...args) => {
            const url = String(args[0] && args[0].url || args[0]);
            if (gate.pattern && url.includes(gate.pattern)) {
              return new Promise((resolve, reject) => gate.held.push(() => fetch0(...args).then(resolve, reject)));
            }
            return fetch0(...args);
          };
          window.__open = () => { gate.pattern = null; gate.held.splice(0).forEach((go) => go()); };
        })();
        """;
    /** Wraps every view so that the test can await the runs it started (the stale one among them). */
    static final String TRACK_VIEWS = """
        (() => {
          window.__runs = [];
          const track = (name) => { const view = window[name]; window[name] = (...a) => { const p = view(...a); window.__runs.push(p); return p; }; };
          ['queueView', 'fileView', 'devicesView', 'auditView', 'opsView', 'pixelView', 'proposalsView'].forEach(track);
          return true;
        })()
        """;

    /** A view, the hash that opens it, the request it waits for, and the start of its heading. */
    record View(String hash, String request, String heading) { }

    @TempDir
    Path tmp;

    @Test
    void aViewThatLoadsAfterTheReviewerMovedOnIsNotDrawn() throws Exception {
        Chrome.assumeAvailable();
        WebFixture.assumeCorpus();
        try (TestNode node = WebFixture.webNode(tmp).start();
             Chrome b = new Chrome(tmp.resolve("chromium-profile"))) {
            Held setup = heldFileBehindTheGate(node, b);
            String base = setup.base(), held = setup.file();
            b.navigate(base + "/#/audit");
            b.waitFor(headingIs("Reviewer decisions"), WAIT);
            assertThat(b.eval(TRACK_VIEWS).asBoolean()).isTrue();

            List<View> views = List.of(
                new View("#/file/" + held, "/api/files/" + held, "File "),
                new View("#/pixels/" + held, "/api/files/" + held + "/pixels", "Pixel workspace"),
                new View("#/proposals/CT", "/api/proposals", "Rule proposals"),
                new View("#/devices", "/api/devices", "Devices"),
                new View("#/ops", "/api/ops/status", "Operations"),
                new View("#/queue", "/api/queue/counts", "Quarantine queue"),
                new View("#/audit", "/api/audit", "Reviewer decisions"));
            for (View stale : views) {
                View next = stale.heading().equals("Reviewer decisions") ? views.get(3) : views.get(6);
                if (b.text("location.hash").equals(stale.hash())) { // leave first: the same hash again is no navigation
                    b.eval("location.hash = " + Chrome.js(next.hash()) + "; true");
                    b.waitFor(headingIs(next.heading()), WAIT);
                }
                b.eval("window.__runs.length = 0; window.__gate.pattern = " + Chrome.js(stale.request()) + "; location.hash = " + Chrome.js(stale.hash()) + "; true");
                b.waitFor("window.__gate.held.length > 0", WAIT); // the stale view is waiting for its data
                b.eval("location.hash = " + Chrome.js(next.hash()) + "; true");
                b.waitFor(headingIs(next.heading()), WAIT);
                // let the stale response through and wait until every view run started so far has finished
                b.eval("(async () => { window.__open(); await Promise.allSettled(window.__runs); return true; })()");
                assertThat(b.text("document.querySelector('#view h2').textContent"))
                    .as("after leaving %s for %s while it loaded", stale.hash(), next.hash()).startsWith(next.heading());
            }
            assertThat(b.eval("document.getElementById('msg') ? document.getElementById('msg').className : ''").asText()).doesNotContain("error");
            assertThat(b.problems()).isEmpty();
        }
    }

    @Test
    void theViewBeingLeftTakesNoInputWhileTheNextLoads() throws Exception {
        Chrome.assumeAvailable();
        WebFixture.assumeCorpus();
        try (TestNode node = WebFixture.webNode(tmp).start();
             Chrome b = new Chrome(tmp.resolve("chromium-profile"))) {
            Held setup = heldFileBehindTheGate(node, b);
            String base = setup.base(), held = setup.file();
            b.navigate(base + "/#/file/" + held);
            b.waitFor(headingIs("File ") + " && document.getElementById('next-held')", WAIT);
            assertThat(b.eval("document.getElementById('view').inert").asBoolean()).as("a drawn view takes input").isFalse();

            b.eval("window.__gate.pattern = '/api/devices'; location.hash = '#/devices'; true");
            b.waitFor("window.__gate.held.length > 0", WAIT); // the devices page is waiting for its data
            assertThat(b.text("document.querySelector('#view h2').textContent")).as("the file's view is still shown").startsWith("File ");
            assertThat(b.eval("(() => { const n = document.getElementById('next-held'); n.focus(); return document.activeElement === n; })()").asBoolean())
                .as("a button of the view being left cannot take focus (inert)").isFalse();
            assertThat(b.eval("document.getElementById('view').inert").asBoolean()).isTrue();

            b.eval("window.__open(); true");
            b.waitFor(headingIs("Devices"), WAIT);
            assertThat(b.eval("document.getElementById('view').inert").asBoolean()).as("the devices page, drawn, takes input").isFalse();
            assertThat(b.problems()).isEmpty();
        }
    }

    /** The app's address and a file held for its unknown device. */
    private record Held(String base, String file) { }

    /** Holds a file, signs an admin in, and installs the fetch gate in every page the browser loads after. */
    private static Held heldFileBehindTheGate(TestNode node, Chrome b) throws Exception {
        String base = "http://127.0.0.1:" + node.haven.web().port();
        new Users(node.haven.store()).put("adam", "admin", WebFixture.ADMIN_PASSWORD.toCharArray());
        String held = node.submit(WebFixture.CORPUS.resolve("CT_small.dcm"), "fife");
        assertThat(node.awaitOutcome(held, WAIT).reason()).isEqualTo("unknown-device");
        WebFixture.signInAdminFirst(b, base);
        b.clearProblems(); // the stylesheet opened as a page asks for /favicon.ico; the app's page declares its icon
        b.send("Page.addScriptToEvaluateOnNewDocument", Map.of("source", GATE));
        return new Held(base, held);
    }

    private static String headingIs(String heading) {
        return "document.querySelector('#view h2') && document.querySelector('#view h2').textContent.startsWith(" + Chrome.js(heading) + ")";
    }
}

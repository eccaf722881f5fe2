package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.apache.camel.Exchange;
import org.haven.HavenHeaders;
import org.haven.store.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reason a file can be held for, produced by a real node (real routes, broker and store) from hand-made inputs,
 * opened in headless Chromium: the file page and, for images, the pixel workspace. Any page exception, console error
 * or non-2xx response fails the test, and so does a literal "null" or "undefined" on the page. Then the ways out:
 * an allowlist entry (identifier classes need confirmation), "redact this", a box for one file drawn by dragging, a
 * device pixel rule, a confirmed bulk action and a device trusted from the devices page.
 */
class HeldFilesBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(40);
    static final String DEVICES = """
        devices:
          - id: mr
            modality: MR
            state: trusted
            profile: basic
          - id: ot
            modality: OT
            state: trusted
            profile: basic
          - id: us-review
            modality: US
            state: review
          - id: xa-blocked
            modality: XA
            state: blocked
        """;
    /** Test only: a stage that always fails like a bug would, so the real error handling holds the file as internal-error. */
    static final String FAILING_ROUTE = """
        - route:
            id: test-failing-stage-in
            from:
              uri: direct:test-failing-stage
              steps:
                - bean: {ref: stager, method: stageLocalFile}
                - to: {uri: "jms:queue:haven.test-failing-stage", parameters: {exchangePattern: InOnly}}
        - route:
            id: test-failing-stage
            routeConfigurationId: stage-errors
            from:
              uri: "jms:queue:haven.test-failing-stage"
              parameters: {transacted: true}
              steps:
                - throwException: {exceptionType: java.lang.IllegalStateException, message: "a stage bug (test)"}
        """;

    @TempDir
    Path tmp;

    @Test
    void everyHeldFileOpensAndCanLeave() throws Exception {
        Chrome.assumeAvailable();
        try (WebFixture w = new WebFixture(tmp, DEVICES, FAILING_ROUTE);
             Chrome b = new Chrome(tmp.resolve("chromium-profile"))) {
            HeldInputs in = new HeldInputs(tmp.resolve("inputs"));
            Map<String, String> held = new LinkedHashMap<>(); // expected reason (prefix) -> file id
            // a postcode in an attribute the basic profile keeps: held by the gate (not an identifier class)
            AttributeList postcode = HeldInputs.image("MR", HeldInputs.MR, "1.1", 32, 32);
            HeldInputs.put(postcode, TagFromName.ConvolutionKernel, "EH4 2XU");
            held.put("verification:postcode", hold(w, in.write(postcode), "verification:postcode"));
            // the patient's own surname in a kept attribute: an identifier class
            AttributeList surname = HeldInputs.image("MR", HeldInputs.MR, "2.1", 32, 32);
            HeldInputs.put(surname, TagFromName.ConvolutionKernel, "KIRKTON B30");
            held.put("verification:source-identifier", hold(w, in.write(surname), "verification:"));
            held.put("pixel-text", hold(w, in.write(HeldInputs.screenshot("3.1", "KIRKTON CRESCENT")), "pixel-text"));
            AttributeList burned = HeldInputs.image("MR", HeldInputs.MR, "4.1", 64, 64);
            HeldInputs.put(burned, TagFromName.BurnedInAnnotation, "YES");
            held.put("pixels-unverified", hold(w, in.write(burned), "pixels-unverified"));
            held.put("device-review", hold(w, in.write(HeldInputs.image("US", HeldInputs.US, "5.1", 32, 32)), "device-review"));
            held.put("device-blocked", hold(w, in.write(HeldInputs.image("XA", HeldInputs.XA, "6.1", 32, 32)), "device-blocked"));
            held.put("unknown-device", hold(w, in.write(HeldInputs.image("CT", HeldInputs.CT, "7.1", 32, 32)), "unknown-device"));
            held.put("unreadable", hold(w, in.truncated(HeldInputs.image("MR", HeldInputs.MR, "8.1", 32, 32), 400), "unreadable"));
            held.put("non-DICOM", hold(w, in.text("Patient list, not an image\n"), "unreadable"));
            AttributeList first = HeldInputs.image("MR", HeldInputs.MR, "9.1", 32, 32);
            assertThat(w.submit(in.write(first), "lothian").outcome()).isEqualTo("released");
            HeldInputs.put(first, TagFromName.SeriesDescription, "re-export");
            held.put("duplicate-instance", hold(w, in.write(first), "duplicate-instance"));
            held.put("internal-error", failingStage(w, in.write(HeldInputs.image("MR", HeldInputs.MR, "10.1", 32, 32))));

            signIn(w, b);
            assertThat(b.eval("getComputedStyle(document.getElementById('login')).display").asText()).as("sign-in form hidden").isEqualTo("none");
            for (Map.Entry<String, String> e : held.entrySet()) open(w, b, e.getKey(), e.getValue());
        }
    }

    /** Opens the file page (and the pixel workspace for files with pixels); fails on any page problem. */
    static void open(WebFixture w, Chrome b, String what, String id) throws Exception {
        FileRecords.Outcome o = w.node.records.outcome(id).orElseThrow();
        b.clearProblems();
        b.navigate(w.base + "/#/file/" + id);
        b.waitFor("document.querySelector('#view h2') && document.querySelector('#view h2').textContent === 'File " + id.substring(0, 12) + "'"
            + " && document.getElementById('outcome').textContent.includes(" + Chrome.js(o.reason()) + ")"
            + " && document.getElementById('findings') && (document.getElementById('attrs') || document.getElementById('attrs-error'))", WAIT);
        b.waitFor("document.getElementById('preview').complete", WAIT);
        noProblems(b, what + " file page");
        b.clearProblems();
        b.navigate(w.base + "/#/pixels/" + id);
        b.waitFor("document.getElementById('pixel-reason') && document.getElementById('pixel-reason').textContent.includes(" + Chrome.js(o.reason()) + ")", WAIT);
        b.waitFor("[...document.querySelectorAll('.stage img')].every(i => i.complete)", WAIT);
        noProblems(b, what + " pixel workspace");
    }

    static void noProblems(Chrome b, String where) throws Exception {
        Thread.sleep(200); // late console messages of the page just rendered
        assertThat(b.problems()).as(where + ": page exceptions, console errors, non-2xx responses").isEmpty();
        String text = b.text("document.body.innerText");
        assertThat(text).as(where + ": no literal null/undefined").doesNotContainPattern("\\bnull\\b").doesNotContainPattern("\\bundefined\\b");
    }

    static void signIn(WebFixture w, Chrome b) throws Exception {
        b.navigate(w.base + "/");
        b.waitFor("!document.getElementById('login').hidden", WAIT);
        b.type("name", "adam");
        b.type("password", WebFixture.ADMIN_PASSWORD);
        b.click("#signin");
        b.waitFor("document.getElementById('who').textContent.includes('adam (admin)') && document.getElementById('queue')", WAIT);
    }

    static String hold(WebFixture w, Path file, String reasonPrefix) throws Exception {
        String id = w.node.submit(file, "lothian");
        FileRecords.Outcome o = w.node.awaitOutcome(id, WAIT);
        assertThat(o.outcome()).as("outcome of the input for " + reasonPrefix).isEqualTo("quarantined");
        assertThat(o.reason()).as("reason").startsWith(reasonPrefix);
        return id;
    }

    static String failingStage(WebFixture w, Path file) throws Exception {
        Exchange done = w.node.haven.camel().createProducerTemplate().request("direct:test-failing-stage", e -> {
            e.getIn().setBody(file.toFile());
            e.getIn().setHeader(HavenHeaders.BOARD, "lothian");
        });
        assertThat(done.getException()).isNull();
        String id = done.getMessage().getHeader(HavenHeaders.FILE_ID, String.class);
        FileRecords.Outcome o = w.node.awaitOutcome(id, WAIT);
        assertThat(o.reason()).isEqualTo("internal-error");
        return id;
    }

    static List<String> lines(Path p) throws Exception { return Files.readAllLines(p); }
}

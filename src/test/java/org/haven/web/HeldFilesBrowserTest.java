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
            // an e-mail address typed into a coded attribute the basic profile keeps (CS: the text cleaner rewrites free
            // text, not codes): held by the gate (not an identifier class)
            AttributeList postcode = HeldInputs.image("MR", HeldInputs.MR, "1.1", 32, 32);
            HeldInputs.put(postcode, TagFromName.BodyPartExamined, "WARD7@NHS.NET");
            held.put("verification:email", hold(w, in.write(postcode), "verification:email"));
            // a CHI number typed into a kept coded attribute: an identifier class
            AttributeList surname = HeldInputs.image("MR", HeldInputs.MR, "2.1", 32, 32);
            HeldInputs.put(surname, TagFromName.BodyPartExamined, "0101011237");
            held.put("verification:chi", hold(w, in.write(surname), "verification:chi"));
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

            // allowlist an e-mail finding from the page scrolled to its end: the message is in view, the file re-checked and released
            String pc = held.get("verification:email");
            openFile(w, b, pc);
            b.type("rule-comment", "the ward's shared mailbox, not a person's");
            b.eval("window.scrollTo(0, document.body.scrollHeight)");
            b.click("#findings .allow-finding[data-index='0']");
            b.waitFor("document.getElementById('msg').textContent.includes('Allowlist entry')", WAIT);
            assertThat(b.eval("(() => { const r = document.getElementById('msg').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()")
                .asBoolean()).as("success message in view").isTrue();
            w.awaitOutcome(pc, "released");
            b.waitFor("document.getElementById('outcome').textContent.includes('released')", WAIT); // the page refreshed itself
            assertThat(Files.readString(w.config.resolve("verify/allowlist.yaml"))).contains("\"WARD7@NHS.NET\"", "apply-to: [\"BodyPartExamined\"]");

            // the patient's own surname: allowlisting an identifier class needs the confirmation box, and the audit flags it
            String sn = held.get("verification:chi");
            openFile(w, b, sn);
            b.type("rule-comment", "a body-part code that happens to validate as a CHI");
            b.click("#findings .allow-finding[data-index='0']");
            b.waitFor("document.getElementById('msg').textContent.includes('needs explicit confirmation')", WAIT);
            assertThat(w.node.records.outcome(sn).get().outcome()).isEqualTo("quarantined");
            b.eval("document.getElementById('confirm-identifier').checked = true");
            b.click("#findings .allow-finding[data-index='0']");
            b.waitFor("document.getElementById('msg').textContent.includes('flagged in the audit')", WAIT);
            w.awaitOutcome(sn, "released");

            // redact this: an entry in config/clean/redact.yaml in the cleaner's format, and the file re-submitted
            AttributeList other = HeldInputs.image("MR", HeldInputs.MR, "11.1", 32, 32);
            HeldInputs.put(other, TagFromName.BodyPartExamined, "WARD9@NHS.NET");
            String rd = hold(w, in.write(other), "verification:email");
            openFile(w, b, rd);
            b.type("rule-comment", "mailbox typed into the body part field");
            b.click("#findings .redact-finding[data-index='0']");
            b.waitFor("document.getElementById('msg').textContent.includes('Redaction review-')", WAIT);
            Map<String, Object> redact = new org.yaml.snakeyaml.Yaml().load(Files.readString(w.config.resolve("clean/redact.yaml")));
            @SuppressWarnings("unchecked") Map<String, Object> entry = ((List<Map<String, Object>>) redact.get("redact")).get(0);
            assertThat(entry).containsEntry("text", "WARD9@NHS.NET").containsEntry("reason", "mailbox typed into the body part field").containsEntry("added-by", "adam");
            assertThat((String) entry.get("id")).matches("review-\\d{8}-1");
            awaitEvent(w, rd, "review-recheck");
            w.node.awaitOutcome(rd, WAIT);

            // pixel text: the OCR words are drawn in red; a box dragged over them for this file only lets it leave
            String px = held.get("pixel-text");
            b.navigate(w.base + "/#/pixels/" + px);
            b.waitFor("document.querySelectorAll('#overlay-original rect.ocr').length > 0 && document.querySelectorAll('#overlay-original rect.blanked').length > 0", WAIT);
            drag(b, "overlay-original", b.eval("(() => { const rs = [...document.querySelectorAll('#overlay-original rect.ocr')].map(r => ["
                + "+r.getAttribute('x'), +r.getAttribute('y'), +r.getAttribute('x') + +r.getAttribute('width'), +r.getAttribute('y') + +r.getAttribute('height')]);"
                + " return [Math.min(...rs.map(r => r[0])) - 6, Math.min(...rs.map(r => r[1])) - 6, Math.max(...rs.map(r => r[2])) + 6, Math.max(...rs.map(r => r[3])) + 6]; })()"));
            b.waitFor("document.querySelectorAll('#drawn-boxes li').length === 1", WAIT);
            b.click("#choice-file-box");
            b.type("pixel-comment", "name burned in by the workstation");
            b.click("#pixel-apply");
            b.waitFor("document.getElementById('msg').textContent.includes('Boxes recorded for this file')", WAIT);
            w.awaitOutcome(px, "released");
            assertThat(events(w, px)).anyMatch(e -> e.startsWith("pixels-blanked") && e.contains("file-boxes"));

            // pixels unverified: a box for the device becomes a rule in config/pixels/ and the file leaves at once
            String pu = held.get("pixels-unverified");
            b.navigate(w.base + "/#/pixels/" + pu);
            // this file's workspace drawn (the previous file's frame stays in the page until it is replaced), its frame loaded
            b.waitFor("(document.querySelector('#view h2') || {}).textContent === 'Pixel workspace · file " + pu.substring(0, 12) + "'"
                + " && document.getElementById('frame-original') && document.getElementById('frame-original').complete", WAIT);
            drag(b, "overlay-original", WebFixture.JSON.readTree("[0, 0, 20, 10]"));
            b.click("#choice-device-box");
            b.type("pixel-comment", "annotation corner of this scanner");
            b.click("#pixel-apply");
            b.waitFor("document.getElementById('msg').textContent.includes('Pixel rule review-mr-')", WAIT);
            w.awaitOutcome(pu, "released");
            assertThat(Files.readString(w.config.resolve("pixels/05-from-review.yaml"))).contains("Modality: \"MR\"", "Rows: 64", "risk: high");

            // next held file, then a bulk action: no default action, a confirmation with the count
            openFile(w, b, held.get("device-blocked"));
            b.click("#next-held");
            b.waitFor("location.hash.startsWith('#/file/') && !location.hash.endsWith('" + held.get("device-blocked") + "')", WAIT);
            b.navigate(w.base + "/#/queue");
            b.waitFor("document.getElementById('f-reason')", WAIT);
            assertThat(b.text("document.querySelector('#queue tr.group th').textContent")).as("grouped by patient pseudonym and study").startsWith("Patient H");
            b.eval("document.getElementById('f-reason').value = 'device-blocked'");
            b.click("#apply");
            b.waitFor("document.getElementById('total').textContent === '1'", WAIT);
            assertThat(b.text("document.getElementById('bulk-action').value")).isEmpty();
            b.type("bulk-comment", "blocked fluoroscopy, not wanted");
            b.click("#bulk-go");
            b.waitFor("document.getElementById('msg').textContent.includes('Choose a bulk action first')", WAIT);
            b.eval("document.getElementById('bulk-action').value = 'reject'");
            b.click("#bulk-go");
            b.waitFor("document.getElementById('bulk-question') && document.getElementById('bulk-question').textContent.includes('Reject 1 held file')", WAIT);
            assertThat(w.node.records.outcome(held.get("device-blocked")).get().outcome()).isEqualTo("quarantined");
            b.click("#bulk-yes");
            b.waitFor("document.getElementById('msg').textContent.includes('Bulk reject: 1 of 1')", WAIT);
            b.waitFor("document.getElementById('total').textContent === '0'", WAIT);

            // devices page: state column, trust from the row; the registry entry says which device, who and why
            b.navigate(w.base + "/#/devices");
            b.waitFor("document.querySelector('#devices tr[data-signature^=\"US|\"] td.state')", WAIT);
            assertThat(b.text("document.querySelector('#devices tr[data-signature^=\"US|\"] td.state').textContent")).isEqualTo("review");
            assertThat(b.text("document.querySelector('#devices tr[data-signature^=\"CT|\"] td.state').textContent")).isEqualTo("unknown");
            b.eval("(() => { const row = document.querySelector('#devices tr[data-signature^=\"US|\"]');"
                + " row.querySelector('input').value = 'phantom scanner of the research unit'; row.querySelector('button.trust-device').click(); })()");
            b.waitFor("document.getElementById('msg').textContent.includes('marked trusted')", WAIT);
            String registry = Files.readString(w.node.root.resolve("devices.yaml"));
            assertThat(registry).contains("# ACME / Model US (US): trusted with profile research by adam", "# why: phantom scanner of the research unit",
                "- id: review-us-acme-model-us-");
            String us = held.get("device-review");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (w.node.records.outcome(us).map(o -> "device-review".equals(o.reason())).orElse(true) && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(w.node.records.outcome(us).map(FileRecords.Outcome::reason)).as("replayed after the trust decision").isNotEqualTo(java.util.Optional.of("device-review"));

            // the audit flags the identifier-class allowlisting
            b.navigate(w.base + "/#/audit");
            b.waitFor("document.querySelectorAll('#audit tr.identifier').length === 1", WAIT);
        }
    }

    static void openFile(WebFixture w, Chrome b, String id) throws Exception {
        b.navigate(w.base + "/#/file/" + id);
        b.waitFor("document.querySelector('#view h2') && document.querySelector('#view h2').textContent === 'File " + id.substring(0, 12) + "'"
            + " && document.getElementById('findings')", WAIT);
    }

    /** Drags from (x0, y0) to (x1, y1) in image pixels over the overlay, as a mouse would. */
    static void drag(Chrome b, String svgId, com.fasterxml.jackson.databind.JsonNode box) throws Exception {
        b.eval("(() => { const svg = document.getElementById('" + svgId + "'); const r = svg.getBoundingClientRect();"
            + " const vb = svg.viewBox.baseVal; const at = (x, y) => ({ clientX: r.left + x / vb.width * r.width, clientY: r.top + y / vb.height * r.height, bubbles: true });"
            + " const [x0, y0, x1, y1] = " + box + ";"
            + " svg.dispatchEvent(new MouseEvent('mousedown', at(Math.max(0, x0), Math.max(0, y0))));"
            + " svg.dispatchEvent(new MouseEvent('mousemove', at((x0 + x1) / 2, (y0 + y1) / 2)));"
            + " svg.dispatchEvent(new MouseEvent('mouseup', at(Math.min(vb.width, x1), Math.min(vb.height, y1)))); })()");
    }

    static List<String> events(WebFixture w, String id) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (var c = w.node.haven.store().connection();
             var ps = c.prepareStatement("select event, detail from file_event where file_id = ? order by id")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    static void awaitEvent(WebFixture w, String id, String event) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (events(w, id).stream().anyMatch(e -> e.startsWith(event + " "))) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no " + event + " event for " + id.substring(0, 12) + ": " + events(w, id));
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
        Thread.sleep(200);
        // the only non-2xx before sign-in is the page asking whether a session exists (401, shown as a browser error)
        assertThat(b.problems()).as("problems while signing in").allMatch(p -> p.contains("/api/session") && p.contains("401"));
        b.clearProblems();
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

}

package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.haven.store.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule proposals end to end: a real node holds five screenshots of one device as pixel-text (a name burned in the same
 * band below the blanked banner, different on each; one file also has a stray word near the bottom). The proposal
 * page, reached from the devices page, shows the band on sample images and says four files would be released; the
 * rule is accepted in the browser, and the four files are then released blanked while the fifth is held again for
 * its stray word. Page exceptions, console errors and non-2xx responses fail the test.
 */
class ProposalsBrowserTest {
    static final String[] NAMES = {"KIRKTON CRESCENT", "ALASDAIR MACLEOD", "BRAEMAR TERRACE", "LOCHEND CRESCENT", "GLENCOE STREET"}; // lines OCR reads here

    @TempDir
    Path tmp;

    @Test
    void aProposedRuleIsAcceptedAndReleasesTheFilesItCovers() throws Exception {
        Chrome.assumeAvailable();
        try (WebFixture w = new WebFixture(tmp, HeldFilesBrowserTest.DEVICES, null);
             Chrome b = new Chrome(tmp.resolve("chromium-profile"))) {
            HeldInputs in = new HeldInputs(tmp.resolve("inputs"));
            List<String> band = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                band.add(HeldFilesBrowserTest.hold(w, in.write(HeldInputs.screenshot((20 + i) + ".1", NAMES[i])), "pixel-text"));
            }
            String stray = HeldFilesBrowserTest.hold(w, in.write(HeldInputs.screenshot("24.1",
                new HeldInputs.Text(NAMES[4], 20, 130), new HeldInputs.Text("DUNBAR", 20, 235))), "pixel-text");
            String device = signature(w, stray);

            HeldFilesBrowserTest.signIn(w, b);
            // from the devices page to the device's proposals
            b.navigate(w.base + "/#/devices");
            b.waitFor("document.querySelector('#devices tr[data-signature^=\"OT|\"] a.proposals-link')", HeldFilesBrowserTest.WAIT);
            b.click("#devices tr[data-signature^=\"OT|\"] a.proposals-link");
            b.waitFor("document.querySelector('.proposal .samples img') && [...document.querySelectorAll('.proposal .samples img')]"
                + ".every(i => i.complete && i.naturalWidth > 0)", HeldFilesBrowserTest.WAIT);
            HeldFilesBrowserTest.noProblems(b, "proposals page");
            assertThat(b.text("document.getElementById('proposals-summary').textContent")).startsWith("5 file(s)");
            assertThat(b.text("document.getElementById('would-release-0').textContent")).startsWith("Accepting would release 4 of 5");
            assertThat(b.eval("document.querySelectorAll('#proposal-0 figure.sample').length").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(b.eval("[...document.querySelectorAll('#proposal-0 figure.sample')].every(f => f.querySelectorAll('rect.proposed').length === 1"
                + " && f.querySelectorAll('rect.ocr').length > 0 && f.querySelectorAll('rect.inforce').length === 1)").asBoolean())
                .as("the proposed box, the words and the banner the rule in force blanks on every sample").isTrue();
            assertThat(b.eval("document.querySelectorAll('#proposal-0 .samples .stays').length").asInt()).as("the stray word's file shown as staying").isEqualTo(1);
            assertThat(HeldFilesBrowserTest.events(w, stray)).as("looking at a held original is audited").contains("viewed-original pixels (frame 1, original)");

            // the proposal itself: one box over the name band, nothing over the stray word
            WebFixture.Client admin = w.new Client().signIn("adam", WebFixture.ADMIN_PASSWORD);
            JsonNode p = admin.json(admin.get("/api/proposals?device=" + java.net.URLEncoder.encode(device, java.nio.charset.StandardCharsets.UTF_8)))
                .path("proposals").get(0);
            assertThat(p.path("boxes")).hasSize(1);
            JsonNode box = p.path("boxes").get(0);
            assertThat(box.path("y").asInt()).isBetween(64, 112);
            assertThat(box.path("y").asInt() + box.path("height").asInt()).isBetween(130, 200);
            assertThat(p.path("bands")).anyMatch(x -> !x.path("proposed").asBoolean() && x.path("rejected").asText().contains("seen in 1 of 5"));

            // a reviewer may not accept; an admin whose view is out of date writes nothing
            WebFixture.Client rita = w.new Client().signIn("rita", WebFixture.REVIEWER_PASSWORD);
            String body = "{\"device\":" + WebFixture.JSON.writeValueAsString(device) + ",\"rows\":256,\"columns\":512,\"comment\":\"x\",\"boxes\":";
            assertThat(rita.post("/api/proposals/accept", body + p.path("boxes") + "}").statusCode()).isEqualTo(403);
            assertThat(admin.post("/api/proposals/accept", body + "[{\"x\":0,\"y\":0,\"width\":5,\"height\":5}]}").statusCode()).isEqualTo(409);
            assertThat(admin.post("/api/proposals/accept", body + p.path("boxes") + "}", null).statusCode()).as("no CSRF token").isEqualTo(403);
            assertThat(w.config.resolve("pixels/05-from-review.yaml")).doesNotExist();

            // the held file links to its device's proposals
            HeldFilesBrowserTest.openFile(w, b, band.get(0));
            assertThat(b.text("document.getElementById('open-proposals').getAttribute('href')")).startsWith("#/proposals/OT%7C");

            // accept in the browser: a confirmation, then the rule is written and the held files re-checked
            b.navigate(w.base + "/#/proposals/" + java.net.URLEncoder.encode(device, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
            b.waitFor("document.getElementById('accept-0')", HeldFilesBrowserTest.WAIT);
            b.clearProblems();
            b.type("proposal-comment-0", "the viewer burns the patient's name below its banner");
            b.click("#accept-0");
            b.waitFor("document.getElementById('accept-question-0') && document.getElementById('accept-question-0').textContent.includes('4 would be released')",
                HeldFilesBrowserTest.WAIT);
            assertThat(w.config.resolve("pixels/05-from-review.yaml")).doesNotExist();
            b.click("#accept-yes-0");
            b.waitFor("document.getElementById('msg').textContent.includes('accepted and written')", HeldFilesBrowserTest.WAIT);
            HeldFilesBrowserTest.noProblems(b, "proposals page after accepting");
            for (String id : band) {
                w.awaitOutcome(id, "released");
                assertThat(HeldFilesBrowserTest.events(w, id)).anyMatch(e -> e.startsWith("pixels-blanked rule proposal-ot-"));
            }
            HeldFilesBrowserTest.awaitEvent(w, stray, "review-recheck");
            FileRecords.Outcome again = w.node.awaitOutcome(stray, HeldFilesBrowserTest.WAIT);
            assertThat(again.outcome()).isEqualTo("quarantined");
            assertThat(again.reason()).isEqualTo("pixel-text");

            String rules = Files.readString(w.config.resolve("pixels/05-from-review.yaml"));
            assertThat(rules).contains("- id: proposal-ot-", "Modality: \"OT\"", "Rows: 256", "Columns: 512", "risk: high",
                "note: \"proposed from 5 held files on " + LocalDate.now(ZoneOffset.UTC) + ", accepted by adam\"");
            assertThat(admin.json(admin.get("/api/audit?limit=20"))).anyMatch(d -> d.path("action").asText().equals("pixel-proposal")
                && d.path("actor").asText().equals("adam") && d.path("comment").asText().contains("below its banner"));
        }
    }

    static String signature(WebFixture w, String fileId) throws Exception {
        try (var c = w.node.haven.store().connection(); var ps = c.prepareStatement("select device_signature from haven_file where file_id = ?")) {
            ps.setString(1, fileId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}

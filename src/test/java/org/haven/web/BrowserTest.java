package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages in real headless Chromium: sign in, filter the queue, open a file (attribute table, preview), release one,
 * reject one, add a report rule, and find all of it on the audit page.
 */
class BrowserTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void reviewFlowInHeadlessChromium() throws Exception {
        Chrome.assumeAvailable();
        WebFixture.assumeCorpus();
        try (WebFixture w = new WebFixture(tmp);
             Chrome b = new Chrome(tmp.resolve("chromium-profile"))) {
            String ct = w.hold("CT_small.dcm", "lothian");
            String rt = w.hold("rtdose.dcm", "tayside");

            b.navigate(w.base + "/");
            b.waitFor("!document.getElementById('login').hidden", WAIT);
            b.type("name", "adam");
            b.type("password", "wrong-password-here");
            b.click("#signin");
            b.waitFor("document.getElementById('msg').textContent.includes('wrong user name or password')", WAIT);
            b.type("name", "adam");
            b.type("password", WebFixture.ADMIN_PASSWORD);
            b.click("#signin");
            b.waitFor("document.getElementById('who').textContent.includes('adam (admin)')", WAIT);
            assertThat(b.text("document.cookie")).as("session cookie is HttpOnly").doesNotContain("haven_session");

            // queue: both held files, then filter by board
            b.waitFor("document.querySelectorAll('#queue tr[data-id]').length === 2", WAIT);
            assertThat(b.text("document.getElementById('total').textContent")).isEqualTo("2");
            b.type("f-board", "tayside");
            b.click("#apply");
            b.waitFor("document.querySelectorAll('#queue tr[data-id]').length === 1 && document.getElementById('total').textContent === '1'", WAIT);
            assertThat(b.text("document.querySelector('#queue tr[data-id]').dataset.id")).isEqualTo(rt);

            // reject the dose file from its page
            b.click("#queue a.file-link");
            b.waitFor("location.hash === '#/file/" + rt + "' && document.getElementById('reject')", WAIT);
            b.type("comment", "dose object, not requested by the project");
            b.click("#reject");
            b.waitFor("document.getElementById('outcome') && document.getElementById('outcome').textContent.includes('rejected')", WAIT);
            assertThat(w.node.records.outcome(rt).get().outcome()).isEqualTo("rejected");

            // open the CT: original beside de-identified, changes highlighted, preview loaded
            b.navigate(w.base + "/#/queue");
            b.waitFor("document.getElementById('queue')", WAIT);
            b.type("f-board", "lothian");
            b.click("#apply");
            b.waitFor("document.querySelectorAll('#queue tr[data-id]').length === 1 && document.querySelector('#queue tr[data-id]').dataset.id === '" + ct + "'", WAIT);
            b.click("#queue a.file-link");
            b.waitFor("document.querySelectorAll('#attrs tr.changed').length > 5", WAIT);
            assertThat(b.eval("[...document.querySelectorAll('#attrs tr.changed td:nth-child(2)')].map(td => td.textContent).includes('PatientName')").asBoolean()).isTrue();
            // the composed profile: which profile files' rules apply, in order
            assertThat(b.eval("document.getElementById('composition').textContent").asText()).contains("basic").contains("research");
            b.waitFor("document.getElementById('preview').complete && document.getElementById('preview').naturalWidth === 128", WAIT);
            assertThat(b.text("document.getElementById('events').textContent")).contains("received", "quarantined");

            // a report rule from this file (admin)
            b.type("rule-id", "browser-rule");
            b.type("rule-regex", "ACME-[0-9]{6}");
            b.type("rule-class", "local-id");
            b.type("rule-comment", "local accession format seen in review");
            b.click("#add-report-rule");
            b.waitFor("document.getElementById('msg').textContent.includes('Report rule browser-rule written')", WAIT);
            assertThat(Files.readString(w.config.resolve("verify/from-review.yaml"))).contains("id: browser-rule", "classification: local-id");

            // release it with a profile: back through the pipeline
            b.type("comment", "phantom study, header checked");
            b.eval("document.getElementById('action-profile').value = 'basic'");
            b.click("#release");
            b.waitFor("document.getElementById('outcome').textContent.includes('in flight') || document.getElementById('outcome').textContent.includes('released')", WAIT);
            w.awaitOutcome(ct, "released");

            // the audit page shows who did what and why
            b.navigate(w.base + "/#/audit");
            b.waitFor("document.querySelectorAll('#audit tr').length >= 4", WAIT);
            String audit = b.text("document.getElementById('audit').textContent");
            assertThat(audit).contains("adam", "reject", "dose object, not requested by the project", "release", "phantom study, header checked",
                "report-rule", "browser-rule");

            // sign out: the API refuses the old session, the page shows the sign-in form
            b.click("#signout");
            b.waitFor("!document.getElementById('login').hidden", WAIT);
            assertThat(b.eval("fetch('/api/queue').then(r => r.status)").asInt()).isEqualTo(401);
        }
    }
}

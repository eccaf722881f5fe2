package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API on a real node: authorisation, CSRF, decisions and their audit, rules validated before writing. */
class WebApiTest {
    @TempDir
    Path tmp;

    @Test
    void authorisationCsrfDecisionsAndRules() throws Exception {
        WebFixture.assumeCorpus();
        try (WebFixture w = new WebFixture(tmp)) {
            String ct = w.hold("CT_small.dcm", "lothian");
            WebFixture.Client anon = w.new Client();
            // no session: 401 on reads and writes; static pages carry no data and are public
            assertThat(anon.get("/api/queue").statusCode()).isEqualTo(401);
            assertThat(anon.get("/api/files/" + ct).statusCode()).isEqualTo(401);
            assertThat(anon.post("/api/files/" + ct + "/reject", "{\"comment\":\"x\"}", "anything").statusCode()).isEqualTo(401);
            assertThat(anon.get("/api/openapi.yaml").statusCode()).isEqualTo(401);
            assertThat(anon.get("/").statusCode()).isEqualTo(200);
            // wrong password: 401, no cookie
            assertThat(anon.post("/api/login", "{\"name\":\"rita\",\"password\":\"wrong-password-xx\"}", null).statusCode()).isEqualTo(401);
            assertThat(anon.get("/api/session").statusCode()).isEqualTo(401);

            WebFixture.Client rita = w.new Client().signIn("rita", WebFixture.REVIEWER_PASSWORD);
            WebFixture.Client adam = w.new Client().signIn("adam", WebFixture.ADMIN_PASSWORD);
            HttpResponse<String> queue = rita.get("/api/queue?reason=unknown-device");
            assertThat(queue.statusCode()).as(queue.body()).isEqualTo(200);
            assertThat(rita.json(queue).get("items").get(0).get("fileId").asText()).isEqualTo(ct);
            assertThat(rita.get("/api/openapi.yaml").body()).contains("openapi: 3");

            // bad or missing CSRF token: 403, nothing changes
            assertThat(rita.post("/api/files/" + ct + "/reject", "{\"comment\":\"x\"}", "forged").statusCode()).isEqualTo(403);
            assertThat(rita.post("/api/files/" + ct + "/reject", "{\"comment\":\"x\"}", null).statusCode()).isEqualTo(403);
            assertThat(w.node.records.outcome(ct).get().outcome()).isEqualTo("quarantined");

            // a reviewer cannot take admin decisions
            String allow = "{\"fileId\":\"" + ct + "\",\"id\":\"review-test\",\"ruleId\":\"name\",\"value\":\"Quux\",\"comment\":\"not a name\"}";
            assertThat(rita.post("/api/rules/allowlist", allow).statusCode()).isEqualTo(403);
            assertThat(rita.post("/api/devices/decision", "{\"signature\":\"CT|x|y|z\",\"state\":\"blocked\",\"comment\":\"c\"}").statusCode()).isEqualTo(403);
            assertThat(rita.post("/api/bulk", "{\"action\":\"reject\",\"comment\":\"c\"}").statusCode()).isEqualTo(403);

            // a comment is required
            assertThat(rita.post("/api/files/" + ct + "/release", "{\"profile\":\"basic\"}").statusCode()).isEqualTo(400);

            // detail: original beside de-identified, with the profile's rule per attribute
            JsonNode detail = rita.json(rita.get("/api/files/" + ct + "?profile=basic"));
            JsonNode patientName = null;
            for (JsonNode r : detail.get("attributes").get("rows")) if (r.get("keyword").asText().equals("PatientName")) patientName = r;
            assertThat(patientName).isNotNull();
            assertThat(patientName.get("changed").asBoolean()).isTrue();
            assertThat(patientName.get("original").asText()).isNotEqualTo(patientName.get("deidentified").asText());
            HttpResponse<byte[]> png = rita.http.send(rita.request("/api/files/" + ct + "/preview.png").build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');

            // release: fresh de-identification through the pipeline, then released; audit says who and why
            HttpResponse<String> released = rita.post("/api/files/" + ct + "/release", "{\"profile\":\"basic\",\"comment\":\"checked: phantom\"}");
            assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
            assertThat(w.awaitOutcome(ct, "released").location()).endsWith(".dcm");
            assertThat(rita.post("/api/files/" + ct + "/reject", "{\"comment\":\"too late\"}").statusCode()).isEqualTo(409);

            // reject: removed from the workspace, outcome rejected, audit kept
            String mr = w.hold("rtdose.dcm", "tayside");
            Path held = w.node.quarantine().resolve(w.node.records.outcome(mr).get().location());
            assertThat(held).exists();
            assertThat(rita.post("/api/files/" + mr + "/reject", "{\"comment\":\"dose file, not needed\"}").statusCode()).isEqualTo(200);
            assertThat(w.node.records.outcome(mr).get().outcome()).isEqualTo("rejected");
            assertThat(held).doesNotExist();
            assertThat(held.resolveSibling(mr + ".json")).doesNotExist();

            // admin: allowlist entry validated and appended; an invalid report rule is refused and nothing is written
            // "name" is an identifier class: refused without explicit confirmation, flagged in the audit with it
            HttpResponse<String> unconfirmed = adam.post("/api/rules/allowlist", allow);
            assertThat(unconfirmed.statusCode()).as(unconfirmed.body()).isEqualTo(409);
            assertThat(unconfirmed.body()).contains("confirmation");
            allow = allow.replace("}", ",\"confirm\":true}");
            HttpResponse<String> a = adam.post("/api/rules/allowlist", allow);
            assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
            assertThat(adam.json(a).get("identifierClasses").toString()).contains("name");
            assertThat(Files.readString(w.config.resolve("verify/allowlist.yaml"))).contains("id: review-test", "\"Quux\"");
            HttpResponse<String> bad = adam.post("/api/rules/report", "{\"id\":\"bad-regex\",\"regex\":\"([unclosed\",\"classification\":\"other\",\"comment\":\"c\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(w.config.resolve("verify/from-review.yaml")).doesNotExist();
            HttpResponse<String> dup = adam.post("/api/rules/allowlist", allow);
            assertThat(dup.statusCode()).as("duplicate id refused").isEqualTo(400);
            HttpResponse<String> good = adam.post("/api/rules/report", "{\"id\":\"study-code\",\"regex\":\"STUDY-[0-9]{4}\",\"classification\":\"study-code\",\"comment\":\"local codes\"}");
            assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
            assertThat(org.haven.verify.Verifier.load(w.config.resolve("verify"), org.haven.text.NameLists.EMPTY).ruleIds()).contains("study-code");

            // audit: who, what, why
            JsonNode audit = adam.json(adam.get("/api/audit"));
            assertThat(audit.findValuesAsText("action")).contains("release", "reject", "allowlist-identifier-class", "report-rule");
            assertThat(audit.findValuesAsText("actor")).contains("rita", "adam");
            assertThat(audit.findValuesAsText("comment")).contains("checked: phantom", "dose file, not needed");
            assertThat(events(w, ct)).contains("review-release|rita");
            assertThat(events(w, mr)).contains("rejected|rita");

            // device dashboard, device decision and a bulk action over a filtered group (admin)
            String sc = w.hold("SC_rgb_jpeg.dcm", "fife");
            JsonNode devices = adam.json(adam.get("/api/devices"));
            JsonNode dev = null;
            for (JsonNode d : devices) if (d.get("held").asLong() > 0) dev = d; // the only device with a held file
            String sig = dev == null ? null : dev.get("signature").asText();
            assertThat(dev).isNotNull();
            assertThat(dev.get("held").asLong()).isEqualTo(1);
            assertThat(dev.get("trustWouldRelease").asLong()).isEqualTo(1);
            HttpResponse<String> block = adam.post("/api/devices/decision", "{\"signature\":" + WebFixture.JSON.writeValueAsString(sig)
                + ",\"state\":\"blocked\",\"fileId\":\"" + sc + "\",\"comment\":\"screenshots never\"}");
            assertThat(block.statusCode()).as(block.body()).isEqualTo(200);
            HttpResponse<String> bulk = adam.post("/api/bulk", "{\"action\":\"reject\",\"comment\":\"bulk: screenshots\",\"expected\":1,\"filter\":{\"board\":\"fife\"}}");
            assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
            assertThat(adam.json(bulk).get("done").asInt()).isEqualTo(1);
            assertThat(w.node.records.outcome(sc).get().outcome()).isEqualTo("rejected");
            assertThat(adam.json(adam.get("/api/queue/counts")).get("total").asLong()).isZero();
            org.haven.store.InFlightCheck.assertMatchesTheStore(w.node.haven.store()); // a reviewed file taken out and decided again
            org.haven.store.FateCountCheck.assertMatchesTheStore(w.node.haven.store());

            // sign out ends the session
            assertThat(rita.post("/api/logout", "{}").statusCode()).isEqualTo(200);
            assertThat(rita.get("/api/queue").statusCode()).isEqualTo(401);
        }
    }

    static java.util.List<String> events(WebFixture w, String fileId) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (var c = w.node.haven.store().connection(); var ps = c.prepareStatement("select event, actor from file_event where file_id = ? order by id")) {
            ps.setString(1, fileId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1) + "|" + rs.getString(2));
            }
        }
        return out;
    }
}

package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proposal that would not be used is not accepted: when the device registry names the device's pixel rule
 * ({@code pixels:}), that rule wins over config/pixels, so the API says so and refuses to write a rule (409).
 */
class ProposalsApiTest {
    static final String DEVICES = """
        devices:
          - id: ot
            modality: OT
            state: trusted
            profile: basic
            pixels: sc-workstation-top-banner
        """;

    @TempDir
    Path tmp;

    @Test
    void aDeviceWhoseRegistryNamesItsPixelRuleGetsNoRuleFromAProposal() throws Exception {
        try (WebFixture w = new WebFixture(tmp, DEVICES, null)) {
            HeldInputs in = new HeldInputs(tmp.resolve("inputs"));
            String first = HeldFilesBrowserTest.hold(w, in.write(HeldInputs.screenshot("30.1", ProposalsBrowserTest.NAMES[0])), "pixel-text");
            HeldFilesBrowserTest.hold(w, in.write(HeldInputs.screenshot("31.1", ProposalsBrowserTest.NAMES[1])), "pixel-text");
            String device = ProposalsBrowserTest.signature(w, first);
            WebFixture.Client admin = w.new Client().signIn("adam", WebFixture.ADMIN_PASSWORD);
            JsonNode p = admin.json(admin.get("/api/proposals?device=" + URLEncoder.encode(device, StandardCharsets.UTF_8))).path("proposals").get(0);
            assertThat(p.path("boxes")).as("the band is found").hasSize(1);
            assertThat(p.path("wouldRelease").asInt()).isEqualTo(2);
            assertThat(p.path("rulesInForce").toString()).contains("sc-workstation-top-banner");
            assertThat(p.path("acceptable").asBoolean()).isFalse();
            assertThat(p.path("note").asText()).contains("the device registry names pixel rule sc-workstation-top-banner");
            var r = admin.post("/api/proposals/accept", "{\"device\":" + WebFixture.JSON.writeValueAsString(device)
                + ",\"rows\":256,\"columns\":512,\"comment\":\"try\",\"boxes\":" + p.path("boxes") + "}");
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.body()).contains("pixels: in devices.yaml");
            assertThat(w.config.resolve("pixels/05-from-review.yaml")).doesNotExist();
            assertThat(w.node.records.outcome(first).orElseThrow().outcome()).isEqualTo("quarantined");
        }
    }
}

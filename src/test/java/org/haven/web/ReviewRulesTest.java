package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.haven.text.NameLists;
import org.haven.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule files written from review: the redaction list's format and checks, allowlist entries for OCR words and for every
 * matching rule, device pixel rules that extend a shipped rule and name their source.
 */
class ReviewRulesTest {
    @TempDir
    Path tmp;

    @Test
    void redactionsAreAppendedInTheCleanersFormat() throws Exception {
        RedactFile f = new RedactFile(tmp.resolve("clean/redact.yaml"));
        String first = f.add("Kirkton Crescent", null, "street name in history", "alice");
        String second = f.add(null, "Ward\\s+[0-9]+", "ward numbers", "bob");
        assertThat(first).matches("review-\\d{8}-1");
        assertThat(second).matches("review-\\d{8}-2");
        String text = Files.readString(f.file());
        assertThat(text).contains("redact:\n  - id: " + first + "\n    text: \"Kirkton Crescent\"\n    reason: \"street name in history\"\n    added-by: \"alice\"\n");
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(text);
        @SuppressWarnings("unchecked") List<Map<String, Object>> list = (List<Map<String, Object>>) doc.get("redact");
        assertThat(list).hasSize(2);
        assertThat(list.get(1)).containsEntry("regex", "Ward\\s+[0-9]+").containsEntry("added-by", "bob");

        assertThatThrownBy(() -> f.add("  ", null, "r", "alice")).hasMessageContaining("text");
        assertThatThrownBy(() -> f.add(null, "([unclosed", "r", "alice")).hasMessageContaining("regular expression");
        assertThatThrownBy(() -> f.add("x", "y", "r", "alice")).hasMessageContaining("one of them");
        assertThat(Files.readString(f.file())).as("refused entries leave the file as it was").isEqualTo(text);

        Files.writeString(f.file(), "redact:\n  - id: a\n    text: \"x\"\n  - id: a\n    text: \"y\"\n");
        assertThatThrownBy(() -> f.add("z", null, "r", "alice")).hasMessageContaining("duplicate id a");
    }

    @Test
    void allowlistEntriesForOcrWordsAndForEveryMatchingRule() throws Exception {
        Path verify = tmp.resolve("verify");
        WebFixture.copy(Path.of("config/verify"), verify);
        RuleFiles rules = new RuleFiles(verify, tmp.resolve("pixels"));
        Verifier before = Verifier.load(verify, NameLists.EMPTY);
        assertThat(before.allowsOcrWord("CRESCENT")).isFalse();
        List<String> matching = before.rulesMatching("ImageComments", "EH4 2XU").stream().map(Verifier.RuleRef::id).toList();
        assertThat(matching).as("rules that fire on a postcode").isNotEmpty();

        // an OCR word: no gate rule is named "ocr", the entry is for OCR text (vr OCR)
        rules.addAllow("ocr-word", "from review", List.of(), "CRESCENT", null, "OCR");
        rules.addAllow("comment-code", "from review", matching, "EH4 2XU", "ImageComments", null);
        Verifier after = Verifier.load(verify, NameLists.EMPTY);
        assertThat(after.allowsOcrWord("crescent")).isTrue();
        assertThat(after.allowsOcrWord("KIRKTON")).isFalse();
        assertThat(after.scanText("ImageComments", "LT", "EH4 2XU", null).passed()).isTrue();
        assertThat(after.scanText("ImageComments", "LT", "EH9 1AB", null).passed()).as("only that text").isFalse();
        assertThatThrownBy(() -> rules.addAllow("bad-rule", "x", List.of("ocr"), "A", null, null)).hasMessageContaining("unknown rule");
    }

    @Test
    void aDevicePixelRuleExtendingAShippedRuleIsClippedToTheImageAndNamesItsSource() throws Exception {
        Path pixels = tmp.resolve("pixels");
        WebFixture.copy(Path.of("config/pixels"), pixels);
        RuleFiles rules = new RuleFiles(tmp.resolve("verify"), pixels);
        org.haven.pixel.PixelRule banner = org.haven.pixel.PixelRules.load(pixels).byId("sc-workstation-top-banner").orElseThrow();
        Map<String, String> when = Map.of("Modality", "OT");
        // the shipped banner is 8192 wide ("clipped to the image width"): as it is, a rule bound to 512 columns refuses it
        assertThatThrownBy(() -> rules.addPixelRule("raw", "x", when, 256, 512, banner.blank(), false, List.of(), false, true))
            .hasMessageContaining("box outside the 512x256 image");
        List<org.haven.pixel.PixelRule.Region> blank = new java.util.ArrayList<>(PixelWorkspace.clipped(banner.blank(), 512, 256));
        blank.add(new org.haven.pixel.PixelRule.Region(new org.haven.pixel.Box(16, 106, 333, 28), java.util.Set.of()));
        rules.addPixelRule("proposal-ot-1", "bands", when, 256, 512, blank, false, List.of(), false, true, "proposed from 5 held files on 2026-11-30, accepted by adam");
        org.haven.pixel.PixelRule written = org.haven.pixel.PixelRules.load(pixels).byId("proposal-ot-1").orElseThrow();
        assertThat(written.blank()).extracting(org.haven.pixel.PixelRule.Region::box)
            .containsExactly(new org.haven.pixel.Box(0, 0, 512, 64), new org.haven.pixel.Box(16, 106, 333, 28));
        assertThat(written.highRisk()).isTrue();
        assertThat(Files.readString(rules.pixelFile()))
            .contains("    source:\n      note: \"proposed from 5 held files on 2026-11-30, accepted by adam\"\n    risk: high\n");
    }
}

package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import org.haven.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelRulesTest {

    @TempDir Path dir;

    private ConfigException loadFails(String yaml) throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), yaml);
        try {
            PixelRules.load(dir);
        } catch (ConfigException e) {
            assertThat(e.file()).isEqualTo(dir.resolve("rules.yaml"));
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }

    private static final String OK = """
            rules:
              - id: a
                when:
                  Modality: US
                blank:
                  - {x: 0, y: 0, width: 10, height: 10}
            """;

    @Test
    void shippedRulesLoad() {
        PixelRules rules = PixelRules.load(Path.of("config/pixels"));
        assertThat(rules.rules()).extracting(PixelRule::id)
                .startsWith("sonosite-turbo-320x240", "sc-workstation-top-banner", "us-generic-regions");
        // then the imported libraries (95-97), after every hand-written rule: first match wins
        assertThat(rules.rules().subList(3, rules.rules().size())).extracting(PixelRule::id)
                .allMatch(id -> id.startsWith("smi-") || id.startsWith("ctp-") || id.startsWith("deid-"));
        assertThat(rules.ocr().language()).isEqualTo("eng");
        assertThat(rules.rules().get(0).where()).endsWith("10-sonosite.yaml:6");
    }

    @Test
    void valuesCompareAsNumbersOnlyWhenBothAreNumbers() {
        assertThat(PixelRules.same(" 512 ", "512.0")).isTrue();
        assertThat(PixelRules.same("-1.50", "-1.5")).isTrue();
        assertThat(PixelRules.same("1.5E+2", "150")).isTrue();
        assertThat(PixelRules.same("+2", "2")).isTrue();
        assertThat(PixelRules.same("ge medical", "GE MEDICAL")).isTrue();
        assertThat(PixelRules.same("512", "513")).isFalse();
        assertThat(PixelRules.same("1.2.840.10008", "1.2")).isFalse();
        assertThat(PixelRules.same("512\\512", "512")).isFalse();
        assertThat(PixelRules.same("1e", "1")).isFalse();
        assertThat(PixelRules.same("-", "-0")).isFalse();
        assertThat(PixelRules.same(".", "0")).isFalse();
        assertThat(PixelRules.same("", "0")).isFalse();
    }

    @Test
    void missingFolderMeansNoRules() {
        assertThat(PixelRules.load(dir.resolve("nope")).rules()).isEmpty();
    }

    @Test
    void unknownRuleKeyNamesFileAndLine() throws Exception {
        ConfigException e = loadFails(OK + "    blanc: []\n");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).contains("unknown key 'blanc'");
    }

    @Test
    void unknownAttributeKeyword() throws Exception {
        ConfigException e = loadFails(OK.replace("Modality: US", "Modality: US\n      Manufacterer: X"));
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("unknown DICOM attribute keyword 'Manufacterer'");
    }

    @Test
    void badRectangles() throws Exception {
        ConfigException e = loadFails(OK.replace("width: 10", "width: 0"));
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("bad rectangle");
        e = loadFails(OK.replace("Modality: US", "Modality: US\n      Columns: 8"));
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).contains("exceeds Columns 8");
        e = loadFails(OK.replace("{x: 0, y: 0, width: 10, height: 10}", "{x: 0, y: 0, width: 10}"));
        assertThat(e.getMessage()).contains("missing required key 'height'");
        e = loadFails(OK.replace("x: 0,", "x: -3,"));
        assertThat(e.getMessage()).contains("bad rectangle");
    }

    @Test
    void otherValidationErrors() throws Exception {
        assertThat(loadFails(OK + OK.replace("rules:\n", "")).getMessage()).contains("duplicate rule id 'a'");
        assertThat(loadFails(OK.replace("Modality: US", "Manufacturer: {regex: \"(unclosed\"}")).getMessage()).contains("bad regular expression");
        assertThat(loadFails(OK.replace("    blank:\n      - {x: 0, y: 0, width: 10, height: 10}\n", "")).getMessage()).contains("needs 'blank'");
        assertThat(loadFails(OK + "    keep: everything\n").getMessage()).contains("'keep' must be ultrasound-regions");
        assertThat(loadFails(OK.replace("height: 10}", "height: 10, frames: [0]}")).getMessage()).contains("frame numbers start at 1");
        assertThat(loadFails("rules: []\nocr: {min-confidence: 300}\n").line()).isEqualTo(2);
        ConfigException t = loadFails("rules: []\nocr:\n  thresholding: [otsu, fancy]\n");
        assertThat(t.line()).isEqualTo(3);
        assertThat(t.getMessage()).contains("'thresholding' entries must be among adaptive, local, local-light, otsu, sauvola");
        ConfigException seg = loadFails("rules: []\nocr:\n  segmentation: [sparse, page]\n");
        assertThat(seg.line()).isEqualTo(3);
        assertThat(seg.getMessage()).contains("'segmentation' entries must be among auto, block, sparse");
        assertThat(PixelRules.load(Path.of("config/pixels")).ocr().segmentation()).containsExactly("sparse");
    }

    @Test
    void conditionsMatchCaseInsensitiveTrimmedRegexContainsPrivateCreator() throws Exception {
        Files.writeString(dir.resolve("r.yaml"), """
                rules:
                  - id: sono
                    when:
                      Modality: us
                      Manufacturer: {regex: "sonosite.*"}
                      ImageType: {contains: derived}
                      Rows: 240
                      private-creator: SonoSite Private Data
                    blank: []
                  - id: fallback
                    when: {Modality: [US, SC]}
                    blank: []
                """);
        PixelRules rules = PixelRules.load(dir);
        AttributeList h = new AttributeList();
        Synthetic.put(h, new CodeStringAttribute(TagFromName.Modality), "US");
        Synthetic.put(h, new LongStringAttribute(TagFromName.Manufacturer), "  SonoSite, Inc. ");
        CodeStringAttribute it = new CodeStringAttribute(TagFromName.ImageType);
        it.addValue("DERIVED");
        it.addValue("PRIMARY");
        h.put(it);
        Synthetic.us(h, TagFromName.Rows, 240);
        assertThat(rules.match(h).map(PixelRule::id)).contains("fallback"); // no private creator yet
        Synthetic.put(h, new LongStringAttribute(new AttributeTag(0x0029, 0x0010)), "SonoSite Private Data");
        assertThat(rules.match(h).map(PixelRule::id)).contains("sono");
        Synthetic.put(h, new LongStringAttribute(TagFromName.Manufacturer), "Philips");
        assertThat(rules.match(h).map(PixelRule::id)).contains("fallback");
        Synthetic.put(h, new CodeStringAttribute(TagFromName.Modality), "CT");
        assertThat(rules.match(h)).isEmpty();
    }

    @Test
    void sonositeCorpusFileMatchesItsRule() throws Exception {
        AttributeList h = Synthetic.read(Synthetic.corpus("pydicom/test_files/examples_ybr_color.dcm"), false);
        assertThat(PixelRules.load(Path.of("config/pixels")).match(h).map(PixelRule::id)).contains("sonosite-turbo-320x240");
        AttributeList us = Synthetic.read(Synthetic.corpus("pydicom-data/OBXXXX1A.dcm"), false);
        assertThat(PixelRules.load(Path.of("config/pixels")).match(us).map(PixelRule::id)).contains("us-generic-regions");
        AttributeList noRegions = Synthetic.read(Synthetic.corpus("pydicom-data/US1_UNCR.dcm"), false);
        assertThat(PixelRules.load(Path.of("config/pixels")).match(noRegions)).isEmpty();
    }

    @Test
    void shippedRuleFilesAreDocumented() {
        assertThat(Path.of("config/pixels/README.md")).exists();
        // README.md is not read as rules: the three hand-written rules and the imported libraries are
        assertThat(PixelRules.load(Path.of("config/pixels")).rules())
                .filteredOn(r -> !r.file().getFileName().toString().contains("-library-")).hasSize(3);
    }
}

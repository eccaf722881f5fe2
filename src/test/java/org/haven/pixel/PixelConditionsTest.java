package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import org.haven.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelConditionsTest {

    @TempDir Path dir;

    private PixelRule rule(String when) throws Exception {
        Files.writeString(dir.resolve("r.yaml"), "rules:\n  - id: r\n    when:\n" + when.indent(6) + "    blank: []\n");
        return PixelRules.load(dir).rules().get(0);
    }

    private static AttributeList header(String manufacturer, String description) throws Exception {
        AttributeList h = new AttributeList();
        Synthetic.put(h, new CodeStringAttribute(TagFromName.Modality), "CT");
        Synthetic.put(h, new LongStringAttribute(TagFromName.Manufacturer), manufacturer);
        if (description != null) Synthetic.put(h, new LongStringAttribute(TagFromName.SeriesDescription), description);
        return h;
    }

    @Test
    void substringTestsAreCaseInsensitive() throws Exception {
        PixelRule r = rule("Manufacturer: {includes: \"ge medical\"}\nSeriesDescription: {starts-with: DOSE}");
        assertThat(r.matches(header("GE MEDICAL SYSTEMS", "Dose Report"))).isTrue();
        assertThat(r.matches(header("GE MEDICAL SYSTEMS", "Report Dose"))).isFalse();
        assertThat(rule("SeriesDescription: {ends-with: report}").matches(header("x", "Dose Report"))).isTrue();
        assertThat(rule("SeriesDescription: {search: \"AAA|stent\"}").matches(header("x", "Stent planning"))).isTrue();
    }

    @Test
    void anyAllAndNot() throws Exception {
        PixelRule r = rule("""
                Modality: CT
                any:
                  - SeriesDescription: {includes: AAA}
                  - SeriesDescription: {includes: Report}
                not:
                  Manufacturer: {includes: SIEMENS}
                """);
        assertThat(r.matches(header("VITAL Images", "AAA planning"))).isTrue();
        assertThat(r.matches(header("VITAL Images", "Dose Report"))).isTrue();
        assertThat(r.matches(header("VITAL Images", "Chest"))).isFalse();
        assertThat(r.matches(header("SIEMENS", "Dose Report"))).isFalse();
        assertThat(r.conditions().toString()).contains(" or ").contains("not (");
    }

    @Test
    void tagKeysReachPrivateElements() throws Exception {
        PixelRule r = rule("\"(0019,0010)\": {search: \"ZIEHM_1.0\"}\n\"(0019,1201)\": {search: \"Fluoro|LowDose\"}");
        AttributeList h = header("Ziehm", null);
        Synthetic.put(h, new LongStringAttribute(new AttributeTag(0x0019, 0x0010)), "ZIEHM_1.0");
        Synthetic.put(h, new LongStringAttribute(new AttributeTag(0x0019, 0x1201)), "LowDose");
        assertThat(r.matches(h)).isTrue();
        h.remove(new AttributeTag(0x0019, 0x1201));
        assertThat(r.matches(h)).isFalse();
    }

    @Test
    void substringTestsLookIntoSequencesWhenNotAtTopLevel() throws Exception {
        PixelRule r = rule("CodeMeaning: {includes: \"IEC Body Dosimetry Phantom\"}");
        AttributeList h = header("GE", null);
        assertThat(r.matches(h)).isFalse();
        SequenceAttribute seq = new SequenceAttribute(TagFromName.ConceptNameCodeSequence);
        AttributeList item = new AttributeList();
        Synthetic.put(item, new LongStringAttribute(TagFromName.CodeMeaning), "IEC Body Dosimetry Phantom");
        Synthetic.put(item, new ShortStringAttribute(TagFromName.CodeValue), "113691");
        seq.addItem(item);
        h.put(seq);
        assertThat(r.matches(h)).isTrue();
    }

    @Test
    void atRiskScopesARuleToImagesTheScreenMarks() throws Exception {
        PixelRule r = rule("at-risk: true\nSeriesDescription: {includes: Dose}");
        assertThat(r.matches(header("GE", "Low Dose Chest"))).as("original CT slice").isFalse();
        AttributeList page = header("GE", "Dose Report");
        CodeStringAttribute it = new CodeStringAttribute(TagFromName.ImageType);
        it.addValue("DERIVED");
        it.addValue("SECONDARY");
        page.put(it);
        assertThat(r.matches(page)).isTrue();
    }

    @Test
    void badConditionsNameFileAndLine() throws Exception {
        assertThatThrownBy(() -> rule("SeriesDescription: {search: \"(\"}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bad regular expression").hasMessageContaining("r.yaml:4");
        assertThatThrownBy(() -> rule("any: Modality"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'any' needs a list");
        assertThatThrownBy(() -> rule("\"(0019,12G1)\": x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown DICOM attribute keyword");
        assertThatThrownBy(() -> rule("at-risk: maybe"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'at-risk' must be true or false");
    }
}

package org.haven.pixel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule condition that cannot be evaluated is not "no match": the file is held as pixels-unverified. */
class UnreadableRuleAttributeTest {
    @Test
    void anUnreadableConditionAttributeHoldsTheFile(@TempDir Path dir) throws Exception {
        // "BurnedInAnnotation absent" would pass for an unreadable value if it were read as empty
        Files.writeString(dir.resolve("a.yaml"), """
            rules:
              - id: ct-no-annotation
                when:
                  Modality: CT
                  BurnedInAnnotation: {present: false}
                blank: []
            """);
        PixelPolicy policy = new PixelPolicy(PixelRules.load(dir));
        AttributeList h = new AttributeList();
        Synthetic.put(h, new CodeStringAttribute(TagFromName.Modality), "CT");
        assertThat(policy.decide(h).action()).isEqualTo(PixelDecision.Action.REDACT);
        h.put(new CodeStringAttribute(TagFromName.BurnedInAnnotation) {
            @Override public String[] getStringValues() throws DicomException { throw new DicomException("cannot decode"); }
        });
        PixelDecision d = policy.decide(h);
        assertThat(d.action()).isEqualTo(PixelDecision.Action.QUARANTINE);
        assertThat(d.quarantineReason()).isEqualTo(PixelDecision.PIXELS_UNVERIFIED);
        assertThat(d.risk().reason()).contains("(0028,0301)").contains("cannot be read");
    }

    @Test
    void anUnreadableValueInsideASequenceUnderNotHoldsTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), """
            rules:
              - id: not-a-dose-report
                when:
                  Modality: CT
                  not: {CodeMeaning: {includes: dose}}
                blank: []
            """);
        PixelPolicy policy = new PixelPolicy(PixelRules.load(dir));
        AttributeList h = new AttributeList();
        Synthetic.put(h, new CodeStringAttribute(TagFromName.Modality), "CT");
        com.pixelmed.dicom.SequenceAttribute seq = new com.pixelmed.dicom.SequenceAttribute(TagFromName.ConceptNameCodeSequence);
        AttributeList item = new AttributeList();
        item.put(new com.pixelmed.dicom.LongStringAttribute(TagFromName.CodeMeaning) {
            @Override public String[] getStringValues() throws DicomException { throw new DicomException("cannot decode"); }
        });
        seq.addItem(item);
        h.put(seq);
        PixelDecision d = policy.decide(h);
        assertThat(d.action()).isEqualTo(PixelDecision.Action.QUARANTINE);
        assertThat(d.quarantineReason()).isEqualTo(PixelDecision.PIXELS_UNVERIFIED);
    }
}

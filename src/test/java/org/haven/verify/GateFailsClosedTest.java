package org.haven.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.TagFromName;
import org.haven.config.ConfigException;
import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate never passes what it could not look at: unreadable values, undecodable source identifiers, missing name lists. */
class GateFailsClosedTest {
    final Verifier gate = Verifier.load(Path.of("config/verify"), NameLists.EMPTY);

    /** A value PixelMed cannot decode (a broken character set, a bad length): getStringValues throws. */
    static LongStringAttribute unreadable(AttributeTag tag) {
        return new LongStringAttribute(tag) {
            @Override public String[] getStringValues() throws DicomException { throw new DicomException("cannot decode"); }
        };
    }

    static AttributeList clean() throws DicomException {
        AttributeList l = new AttributeList();
        LongStringAttribute d = new LongStringAttribute(TagFromName.StudyDescription);
        d.addValue("CT HEAD");
        l.put(d);
        return l;
    }

    @Test
    void anAttributeTheGateCannotReadIsAFindingThatHoldsTheFile() throws Exception {
        AttributeList out = clean();
        assertThat(gate.scan(out, KnownIdentifiers.none(), List.of()).passed()).isTrue();
        out.put(unreadable(TagFromName.SeriesDescription));
        VerificationReport report = gate.scan(out, KnownIdentifiers.none(), List.of());
        assertThat(report.passed()).isFalse();
        assertThat(report.primaryClassification()).isEqualTo("verifier-error");
        assertThat(report.findings()).extracting(Finding::attributePath).containsExactly("SeriesDescription");
    }

    @Test
    void anUndecodableSourceIdentifierIsAFinding() throws Exception {
        AttributeList source = new AttributeList();
        PersonNameAttribute name = new PersonNameAttribute(TagFromName.PatientName) {
            @Override public String[] getStringValues() throws DicomException { throw new DicomException("cannot decode"); }
        };
        source.put(name);
        KnownIdentifiers known = KnownIdentifiers.from(source);
        assertThat(known.undecodable()).containsExactly("PatientName");
        VerificationReport report = gate.scan(clean(), known, List.of());
        assertThat(report.passed()).isFalse();
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.classification()).isEqualTo("verifier-error");
            assertThat(f.attributePath()).isEqualTo("PatientName");
        });
        // the pseudonym allowance keeps the finding
        assertThat(gate.scan(clean(), known, List.of(), List.of("H0000")).passed()).isFalse();
    }

    @Test
    void missingNameListsStopTheGateUnlessExplicitlySwitchedOff(@TempDir Path dir) throws Exception {
        // HAVEN_NAME_LISTS, when set in the environment, overrides the configured directory
        Assumptions.assumeTrue(System.getenv("HAVEN_NAME_LISTS") == null, "HAVEN_NAME_LISTS is set");
        Path missing = dir.resolve("no-lists");
        Path config = Files.createDirectories(dir.resolve("verify"));
        Files.writeString(config.resolve("a.yaml"), "rules:\n  - id: n\n    detector: name\nname-lists:\n  dir: " + missing + "\n");
        assertThatThrownBy(() -> Verifier.load(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a.yaml:").hasMessageContaining("name lists required").hasMessageContaining("required: false");
        Files.writeString(config.resolve("a.yaml"), "rules:\n  - id: n\n    detector: name\nname-lists:\n  dir: " + missing + "\n  required: false\n");
        assertThat(Verifier.load(config).hasNameLists()).isFalse();
    }
}

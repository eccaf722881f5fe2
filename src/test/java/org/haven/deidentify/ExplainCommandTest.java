package org.haven.deidentify;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TransferSyntax;

import org.haven.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExplainCommandTest {
    @TempDir
    Path dir;

    private String[] run(String key, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = new ExplainCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), key)
                .run(List.of(args));
        assertThat(rc).isZero();
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private Path sampleFile() throws Exception {
        AttributeList l = DeidentifierTest.sample();
        l.remove(com.pixelmed.dicom.TagFromName.PixelData);
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "HAVEN");
        Path f = dir.resolve("sample.dcm");
        l.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return f;
    }

    @Test
    void masksIdentifiersByDefaultAndNamesRules() throws Exception {
        String[] r = run(null, sampleFile().toString(), "--profile", "research");
        assertThat(r[1]).contains("HAVEN_SECRET_KEY is not set");
        assertThat(r[0]).contains("placeholder").contains("PatientName").contains("pseudonym").containsPattern("basic\\.yaml:\\d+")
                .contains("clean-descriptors.yaml:").contains("retain-modified-dates.yaml:")
                .contains("  (0008,1150) ReferencedSOPClassUID")   // indented inside ReferencedImageSequence
                .contains("MR BRAIN [date] [name]")
                .doesNotContain("SMITH").doesNotContain("PID445566").doesNotContain("ACC777");
    }

    @Test
    void showIdentifiersShowsOriginals() throws Exception {
        String[] r = run("00112233445566778899aabbccddeeff", sampleFile().toString(), "--show-identifiers", "--profile", "basic");
        assertThat(r[1]).isEmpty();
        assertThat(r[0]).contains("\"SMITH^JOHN\"").contains("\"PID445566\"");
    }

    @Test
    void usageErrors() {
        ExplainCommand c = new ExplainCommand(System.out, System.err, "k");
        assertThatThrownBy(() -> c.run(List.of())).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> c.run(List.of("x.dcm", "--bogus"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> c.run(List.of(dir.toString() + "/missing.dcm"))).isInstanceOf(UsageException.class);
    }
}

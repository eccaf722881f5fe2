package org.haven.synth;

import org.haven.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SynthCommandTest {

    @TempDir
    Path tmp;

    @Test
    void badArgumentsAreUsageErrors() {
        SynthCommand c = new SynthCommand();
        assertThatThrownBy(() -> c.run(List.of("--out", tmp.toString()))).isInstanceOf(UsageException.class).hasMessageContaining("--patients");
        assertThatThrownBy(() -> c.run(List.of("--patients", "2"))).isInstanceOf(UsageException.class).hasMessageContaining("--out");
        assertThatThrownBy(() -> c.run(List.of("--patients", "two", "--out", "x"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> c.run(List.of("--patients", "0", "--out", "x"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> c.run(List.of("--patients", "1", "--out", "x", "--seed"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> c.run(List.of("--patients", "1", "--out", "x", "--colour", "red"))).isInstanceOf(UsageException.class);
    }

    @Test
    void writesArchiveAndPrintsOneLineSummary() throws Exception {
        Path out = tmp.resolve("out");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new SynthCommand().run(List.of("--patients", "2", "--out", out.toString(), "--seed", "9",
                    "--studies-per-patient", "2"));
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        AnswerKey key = AnswerKey.read(out);
        assertThat(key.seed()).isEqualTo(9);
        assertThat(key.studiesPerPatient()).isEqualTo(2);
        assertThat(key.files().stream().map(f -> f.patient().index() + "/" + f.studyInstanceUid()).distinct()).hasSize(4);
        for (AnswerKey.FileEntry f : key.files()) assertThat(Files.isRegularFile(out.resolve(f.path()))).isTrue();
        String printed = buf.toString(StandardCharsets.UTF_8).trim();
        assertThat(printed.lines()).hasSize(1);
        assertThat(printed).startsWith("synth: wrote " + key.files().size() + " files for 2 patients");
    }
}

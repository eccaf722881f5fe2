package org.haven.synth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code synth --ct}: the benchmark's CT sets (bench/run.sh). */
class CtSetTest {

    @TempDir
    Path tmp;

    @Test
    void sameSeedSameBytesAndFilesSpreadOverPatients() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        assertThat(new SynthCommand().run(List.of("--ct", "--size", "39k", "--files", "7", "--patients", "2", "--seed", "3", "--out", a.toString()))).isZero();
        new CtSet(3, true).write(7, 2, b);
        List<Path> files = files(a);
        assertThat(files).hasSize(7);
        assertThat(files(b).stream().map(b::relativize).toList()).isEqualTo(files.stream().map(a::relativize).toList());
        for (Path f : files) assertThat(Files.readAllBytes(b.resolve(a.relativize(f)))).isEqualTo(Files.readAllBytes(f));

        Set<String> patients = new HashSet<>(), instances = new HashSet<>();
        for (Path f : files) {
            AttributeList l = new AttributeList();
            l.read(f.toFile());
            assertThat(Attribute.getSingleStringValueOrNull(l, TagFromName.Modality)).isEqualTo("CT");
            assertThat(Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0)).isEqualTo(128);
            assertThat(l.get(TagFromName.PixelData).getVL()).isEqualTo(128 * 128 * 2);
            patients.add(Attribute.getSingleStringValueOrNull(l, TagFromName.PatientID));
            instances.add(Attribute.getSingleStringValueOrNull(l, TagFromName.SOPInstanceUID));
            assertThat(Files.size(f)).as("about 39 KB").isBetween(37_000L, 41_000L);
        }
        assertThat(patients).hasSize(2);
        assertThat(instances).hasSize(7);

        Path other = tmp.resolve("other");
        new CtSet(4, true).write(7, 2, other);
        assertThat(Files.readAllBytes(other.resolve(a.relativize(files.get(0))))).isNotEqualTo(Files.readAllBytes(files.get(0)));
    }

    @Test
    void largeFilesAre512Square() throws Exception {
        new CtSet(1, false).write(1, 1, tmp);
        Path f = files(tmp).get(0);
        assertThat(Files.size(f)).as("about 531 KB").isBetween(528_000L, 534_000L);
    }

    @Test
    void ctArgumentsAreChecked() {
        SynthCommand c = new SynthCommand();
        assertThatThrownBy(() -> c.run(List.of("--ct", "--patients", "1", "--out", "x"))).isInstanceOf(UsageException.class).hasMessageContaining("--files");
        assertThatThrownBy(() -> c.run(List.of("--ct", "--size", "1m", "--files", "1", "--patients", "1", "--out", "x"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> c.run(List.of("--ct", "--files", "1", "--patients", "2", "--out", "x"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> c.run(List.of("--files", "1", "--patients", "2", "--out", "x"))).isInstanceOf(UsageException.class).hasMessageContaining("--ct");
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}

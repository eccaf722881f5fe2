package org.haven.useful;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.haven.pipeline.Corpus;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Released data must stay valid DICOM: every file Haven releases is checked with dciodvfy next to its input, and the
 * de-identified file may not have an error (normalised message, values removed) that its input did not have.
 * Warnings that are new are only reported (build output and target/useful/).
 */
class DciodvfyTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void tool() {
        ExternalTool.assumeOnPath("dciodvfy");
    }

    @ParameterizedTest(name = "corpus, profile {0}")
    @ValueSource(strings = {"research", "basic"})
    void releasedCorpusFilesHaveNoNewIodErrors(String profile) throws Exception {
        Corpus.assumeAvailable();
        List<Path> inputs = Corpus.entries().stream().map(Corpus.Entry::path).toList();
        Released.Run run = Released.through("corpus", profile, inputs);
        // most of the corpus is ordinary DICOM: if nothing came out, there is nothing to compare and the check is void
        assertThat(run.released()).as("released corpus files").hasSizeGreaterThan(inputs.size() / 2);
        compare("corpus-" + profile, run);
    }

    @Test
    void releasedSyntheticFilesHaveNoNewIodErrors() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(20261125L).write(3, archive);
        List<Path> inputs = key.files().stream().map(f -> archive.resolve(f.path())).toList();
        Released.Run run = Released.through("synth", "research", inputs);
        // the synthetic archive is mostly ordinary CT/MR/CR/DX: most of it must come out to be checked
        assertThat(run.released()).as("released synthetic files").hasSizeGreaterThan(inputs.size() / 2);
        compare("synth-research", run);
    }

    private static void compare(String label, Released.Run run) throws Exception {
        Map<String, Set<String>> newErrors = new TreeMap<>();
        Map<String, Set<String>> newWarnings = new TreeMap<>();
        Map<String, Integer> goneErrors = new TreeMap<>();
        Map<String, Set<String>> inputAlreadyBroken = new TreeMap<>();
        Map<String, String> notChecked = new TreeMap<>();
        int compared = 0;
        for (Map.Entry<Path, Path> e : run.released().entrySet()) {
            Dciodvfy.Report in = Dciodvfy.check(e.getKey());
            Dciodvfy.Report out = Dciodvfy.check(e.getValue());
            String name = e.getKey().startsWith(Corpus.ROOT) ? Corpus.ROOT.relativize(e.getKey()).toString()
                    : tmp.relativize(e.getKey()).toString();
            // a crash or an unreadable file is no report at all, never "no errors"
            if (!out.ran()) {
                if (in.ran()) newErrors.put(name, Set.of("dciodvfy exit " + out.exitCode() + " on the released file, "
                        + in.exitCode() + " on its input: " + tail(out.raw())));
                else notChecked.put(name, "dciodvfy exit " + in.exitCode() + " on the input and " + out.exitCode() + " on the released file");
                continue;
            }
            compared++;
            Set<String> errs = new TreeSet<>(out.errors());
            errs.removeAll(in.errors());
            // an attribute whose input value was already invalid for its VR (e.g. a DT of "NaN") may come out
            // emptied or replaced: a different message about the same broken attribute is not a new problem
            Set<String> brokenInInput = new TreeSet<>();
            for (String m : in.errors()) if (Dciodvfy.isInvalidValue(m) && Dciodvfy.attribute(m) != null) brokenInInput.add(Dciodvfy.attribute(m));
            Set<String> excused = new TreeSet<>();
            for (String m : errs) if (brokenInInput.contains(Dciodvfy.attribute(m))) excused.add(m);
            errs.removeAll(excused);
            if (!excused.isEmpty()) inputAlreadyBroken.put(name, excused);
            if (!errs.isEmpty()) newErrors.put(name, errs);
            Set<String> warns = new TreeSet<>(out.warnings());
            warns.removeAll(in.warnings());
            if (!warns.isEmpty()) newWarnings.put(name, warns);
            for (String gone : in.errors()) if (!out.errors().contains(gone)) goneErrors.merge(gone, 1, Integer::sum);
        }
        String report = report(label, run, newErrors, newWarnings, goneErrors, inputAlreadyBroken)
                + "compared: " + compared + "; not checked (dciodvfy cannot read or crashes on the input too): " + notChecked.size() + "\n"
                + notChecked.entrySet().stream().map(x -> "  " + x.getKey() + ": " + x.getValue() + "\n").reduce("", String::concat);
        System.out.println(report);
        Path dir = Path.of("target/useful");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("dciodvfy-" + label + ".txt"), report);
        assertThat(newErrors).as("dciodvfy errors in released files that their inputs did not have (%s)%n%s", label, report)
                .isEmpty();
        // most released files must have been checked for real: a tool that fails on everything is not a pass
        assertThat(compared).as("released files dciodvfy read in full (%s)", label)
                .isGreaterThanOrEqualTo(Math.max(1, run.released().size() * 9 / 10));
    }

    private static String tail(String output) {
        String t = output.strip();
        return t.length() > 300 ? "…" + t.substring(t.length() - 300) : t;
    }

    private static String report(String label, Released.Run run, Map<String, Set<String>> newErrors,
                                 Map<String, Set<String>> newWarnings, Map<String, Integer> goneErrors,
                                 Map<String, Set<String>> inputAlreadyBroken) {
        StringBuilder sb = new StringBuilder();
        sb.append("dciodvfy ").append(label).append(": ").append(run.released().size()).append(" released files compared, ")
          .append(run.quarantined().size()).append(" quarantined (not compared)\n");
        sb.append("files with NEW ERRORS: ").append(newErrors.size()).append('\n');
        newErrors.forEach((f, errs) -> errs.forEach(m -> sb.append("  ").append(f).append(": ").append(m).append('\n')));
        sb.append("new errors on attributes whose input value was already invalid for its VR (not counted): ")
          .append(inputAlreadyBroken.size()).append('\n');
        inputAlreadyBroken.forEach((f, errs) -> errs.forEach(m -> sb.append("  ").append(f).append(": ").append(m).append('\n')));
        sb.append("files with new warnings (reported, not asserted): ").append(newWarnings.size()).append('\n');
        Map<String, Integer> byWarning = new TreeMap<>();
        newWarnings.values().forEach(ws -> ws.forEach(w -> byWarning.merge(w, 1, Integer::sum)));
        byWarning.forEach((w, n) -> sb.append("  ").append(n).append(" x ").append(w).append('\n'));
        sb.append("input errors no longer present in the output:\n");
        goneErrors.forEach((m, n) -> sb.append("  ").append(n).append(" x ").append(m).append('\n'));
        return sb.toString();
    }
}

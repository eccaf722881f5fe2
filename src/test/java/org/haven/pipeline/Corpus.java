package org.haven.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/** The shared corpus of real DICOM files (../shared/corpus), when present; tests skip cleanly without it. */
public final class Corpus {
    public static final Path ROOT = Path.of("../shared/corpus");

    public record Entry(Path path, String name, String modality, String transferSyntax, String notes) {
        /** Structurally broken files the manifest calls malformed (not just odd pixel codestreams or DICOMDIR records). */
        public boolean malformed() { return notes.startsWith("malformed:") || notes.startsWith("malformed/edge:"); }

        /** Malformed in a way Haven repairs (org.haven.dicom.ValueRepairs): a missing meta group length, a messy TM. */
        public boolean repairable() {
            return notes.startsWith("malformed: File Meta without (0002,0000) group length")
                || (notes.startsWith("malformed: value exceeds VR max length") && notes.contains(" TM "));
        }
    }

    private Corpus() {}

    public static boolean available() { return Files.isRegularFile(ROOT.resolve("MANIFEST.tsv")); }

    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "../shared/corpus is not present: corpus cases skipped");
    }

    public static List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(ROOT.resolve("MANIFEST.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length < 8 || f[0].isBlank()) continue;
            out.add(new Entry(ROOT.resolve(f[0]), f[0], f[4], f[5], f[7]));
        }
        return out;
    }

    public static Entry entry(String name) throws IOException {
        return entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
}

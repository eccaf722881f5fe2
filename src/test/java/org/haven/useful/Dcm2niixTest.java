package org.haven.useful;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.haven.pipeline.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A researcher converts released series to NIfTI with dcm2niix: for every series folder of the corpus's dcm2niix QA
 * data (dcm_qa_*), every input file must be released, and the inputs and their released files must convert to the
 * same volumes (same number of NIfTI files; per volume the same dimensions, voxel sizes, data type, scaling, qform
 * and sform, byte-identical voxel data, and the same BIDS fields a preprocessing pipeline needs:
 * PhaseEncodingDirection, SliceTiming, TotalReadoutTime, EffectiveEchoSpacing), with the same dcm2niix exit code.
 * There is no list of exceptions: the default profile keeps what dcm2niix needs (config/profiles/private/).
 * Volumes are matched by content, not by file name: dcm2niix names files from metadata that de-identification
 * changes.
 */
class Dcm2niixTest {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** dcm_qa series folders in the corpus today (Philips, UIH, Siemens XA30, GE): fewer means the corpus lost some. */
    static final int MIN_SERIES = 10;
    /** NIfTI volumes compared today (the Phoenix protocol document has no image; one series has no PatientID). */
    static final int MIN_VOLUMES = 8;
    static final List<String> BIDS_FIELDS = List.of("PhaseEncodingDirection", "SliceTiming", "TotalReadoutTime", "EffectiveEchoSpacing");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "profile {0}")
    @ValueSource(strings = {"research"})
    void releasedSeriesConvertToTheSameVolumes(String profile) throws Exception {
        Corpus.assumeAvailable();
        ExternalTool.assumeOnPath("dcm2niix");
        List<Path> inputs = Corpus.entries().stream().map(Corpus.Entry::path).toList();
        Released.Run run = Released.through("corpus", profile, inputs);

        // every dcm_qa_* series folder of the corpus -> its files; each must have been released
        Map<Path, List<Path>> series = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path in : inputs) {
            if (!Corpus.ROOT.relativize(in).getName(0).toString().startsWith("dcm_qa_")) continue;
            series.computeIfAbsent(in.getParent(), k -> new ArrayList<>()).add(in);
            if (!run.released().containsKey(in) && !heldForLinkage(in, run.quarantined().get(in))) {
                problems.add(Corpus.ROOT.relativize(in) + ": not released (" + run.quarantined().get(in) + ")");
            }
        }
        assertThat(series.size()).as("dcm_qa_* series in the corpus").isGreaterThanOrEqualTo(MIN_SERIES);

        StringBuilder report = new StringBuilder();
        int volumes = 0, n = 0;
        for (Map.Entry<Path, List<Path>> s : series.entrySet()) {
            String name = Corpus.ROOT.relativize(s.getKey()).toString();
            Path work = tmp.resolve("s" + n++);
            Path inDir = Files.createDirectories(work.resolve("in")), outDir = Files.createDirectories(work.resolve("released"));
            int i = 0;
            for (Path in : s.getValue()) {
                Files.copy(in, inDir.resolve(i + ".dcm"));
                Path released = run.released().get(in);
                if (released != null) Files.copy(released, outDir.resolve(i + ".dcm"));
                i++;
            }
            if (i > 0 && Files.list(outDir).findAny().isEmpty()) {
                report.append(name).append(": held (no PatientID), not converted\n");
                continue;
            }
            Conversion a = convert(inDir, work.resolve("nii-in"));
            Conversion b = convert(outDir, work.resolve("nii-released"));
            if (a.exitCode != 0 && a.exitCode != 2) problems.add(name + ": dcm2niix exit " + a.exitCode + " on the input\n" + a.output);
            if (a.exitCode == 0 && a.volumes.isEmpty()) problems.add(name + ": dcm2niix exit 0 but no NIfTI written from the input");
            if (b.exitCode == 0 && b.volumes.isEmpty()) problems.add(name + ": dcm2niix exit 0 but no NIfTI written from the released files");
            if (b.exitCode != a.exitCode) problems.add(name + ": dcm2niix exit " + b.exitCode + " on the released files, " + a.exitCode + " on the input\n" + b.output);
            report.append(name).append(": ").append(s.getValue().size()).append(" files -> ").append(a.volumes.size())
                  .append(" volume(s) from input, ").append(b.volumes.size()).append(" from released (exit ")
                  .append(a.exitCode).append('/').append(b.exitCode).append(")\n");
            volumes += a.volumes.size();
            if (!a.volumes.equals(b.volumes)) {
                problems.add(name + ": volumes differ\n  input:    " + String.join("\n            ", a.volumes)
                        + "\n  released: " + String.join("\n            ", b.volumes));
            }
        }
        System.out.println("dcm2niix (profile " + profile + "):\n" + report);
        Files.createDirectories(Path.of("target/useful"));
        Files.writeString(Path.of("target/useful/dcm2niix-" + profile + ".txt"), report + String.join("\n", problems));
        assertThat(volumes).as("NIfTI volumes dcm2niix made from the dcm_qa inputs").isGreaterThanOrEqualTo(MIN_VOLUMES);
        assertThat(problems).as("dcm2niix on input vs released series").isEmpty();
    }

    /**
     * A file with no PatientID at all cannot be linked to anything else the Safe Haven holds: it is held
     * (missing-patient-id) whatever its content, by the pipeline's linkage rule, not by a list here. Checked on the
     * input itself, so a file that has a PatientID and is held for this reason fails the test.
     */
    private static boolean heldForLinkage(Path in, String reason) throws Exception {
        if (!"missing-patient-id".equals(reason)) return false;
        com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
        l.read(in.toString(), com.pixelmed.dicom.TagFromName.PixelData);
        return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(l, com.pixelmed.dicom.TagFromName.PatientID).isBlank();
    }

    /** dcm2niix's exit code and output, and one line per volume (NIfTI facts + BIDS fields), sorted. */
    private record Conversion(int exitCode, String output, List<String> volumes) {}

    private static Conversion convert(Path dicomDir, Path niiDir) throws Exception {
        Files.createDirectories(niiDir);
        ExternalTool.Result r = ExternalTool.run(TIMEOUT, "dcm2niix", "-b", "y", "-z", "n", "-o", niiDir.toString(), dicomDir.toString());
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(niiDir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".nii")).sorted().toList()) {
                StringBuilder v = new StringBuilder(Nifti.read(p).toString());
                Path sidecar = p.resolveSibling(p.getFileName().toString().replaceFirst("\\.nii$", ".json"));
                JsonNode bids = Files.isRegularFile(sidecar) ? JSON.readTree(sidecar.toFile()) : JSON.createObjectNode();
                for (String f : BIDS_FIELDS) v.append(' ').append(f).append('=').append(bids.has(f) ? bids.get(f).toString() : "-");
                out.add(v.toString());
            }
        }
        return new Conversion(r.exitCode(), r.output(), out.stream().sorted().toList());
    }
}

package org.haven.synth;

import org.haven.cli.Command;
import org.haven.cli.UsageException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./run.sh synth --patients N --out DIR [--seed S] [--studies-per-patient K] [--single-identity]}. People
 * appear under several identities (a second board's hospital number; patient-index.csv, identities.json) unless
 * {@code --single-identity}. {@code --ct --size 39k|531k --files N --patients P}: plain CT series for the benchmark
 * instead (see {@link CtSet}).
 */
public class SynthCommand implements Command {

    public SynthCommand() {}

    @Override
    public int run(List<String> args) throws Exception {
        Integer patients = null;
        Path out = null;
        long seed = 1;
        Integer studies = null;
        boolean identities = true;
        boolean ct = false;
        String size = "39k";
        Integer files = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--patients" -> patients = positive(a, value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--seed" -> seed = parseLong(a, value(args, ++i, a));
                case "--studies-per-patient" -> studies = positive(a, value(args, ++i, a));
                case "--single-identity" -> identities = false;
                case "--ct" -> ct = true;
                case "--size" -> size = value(args, ++i, a);
                case "--files" -> files = positive(a, value(args, ++i, a));
                default -> throw new UsageException("unknown argument: " + a);
            }
        }
        if (patients == null) throw new UsageException("--patients N is required");
        if (out == null) throw new UsageException("--out DIR is required");
        if (ct) return writeCt(files, patients, size, seed, out);
        if (files != null) throw new UsageException("--files is for --ct only");
        SyntheticArchive archive = new SyntheticArchive(seed);
        if (studies != null) archive.studiesPerPatient(studies);
        if (identities) archive.withIdentities();
        AnswerKey key = archive.write(patients, out);
        System.out.println(summary(key, out));
        return 0;
    }

    /** {@code --ct}: plain CT series for the benchmark, no answer key (nothing is planted). */
    private static int writeCt(Integer files, int patients, String size, long seed, Path out) throws Exception {
        if (files == null) throw new UsageException("--ct needs --files N");
        if (!size.equals("39k") && !size.equals("531k")) throw new UsageException("--size is 39k or 531k: " + size);
        if (patients > files) throw new UsageException("--patients must not exceed --files");
        long bytes = new CtSet(seed, size.equals("39k")).write(files, patients, out);
        System.out.printf("synth: wrote %d CT files (%d bytes, %d per file) for %d patients to %s%n",
            files, bytes, bytes / files, patients, out);
        return 0;
    }

    static String summary(AnswerKey key, Path out) {
        Map<String, Integer> perModality = new TreeMap<>();
        int burned = 0;
        for (AnswerKey.FileEntry f : key.files()) {
            perModality.merge(f.modality() == null ? "none" : f.modality(), 1, Integer::sum);
            if (!f.burnedIn().isEmpty()) burned++;
        }
        StringBuilder b = new StringBuilder("synth: wrote ").append(key.files().size()).append(" files for ")
                .append(key.patients()).append(" patients to ").append(out).append(" (");
        String sep = "";
        for (Map.Entry<String, Integer> e : perModality.entrySet()) {
            b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        return b.append("; ").append(burned).append(" with burned-in text) + ").append(AnswerKey.FILE_NAME).toString();
    }

    private static String value(List<String> args, int i, String name) throws UsageException {
        if (i >= args.size()) throw new UsageException(name + " needs a value");
        return args.get(i);
    }

    private static int positive(String name, String v) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) throw new UsageException(name + " must be at least 1: " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " is not a number: " + v);
        }
    }

    private static long parseLong(String name, String v) throws UsageException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " is not a number: " + v);
        }
    }
}

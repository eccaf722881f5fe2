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
 * {@code --single-identity}.
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
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--patients" -> patients = positive(a, value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--seed" -> seed = parseLong(a, value(args, ++i, a));
                case "--studies-per-patient" -> studies = positive(a, value(args, ++i, a));
                case "--single-identity" -> identities = false;
                default -> throw new UsageException("unknown argument: " + a);
            }
        }
        if (patients == null) throw new UsageException("--patients N is required");
        if (out == null) throw new UsageException("--out DIR is required");
        SyntheticArchive archive = new SyntheticArchive(seed);
        if (studies != null) archive.studiesPerPatient(studies);
        if (identities) archive.withIdentities();
        AnswerKey key = archive.write(patients, out);
        System.out.println(summary(key, out));
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

package org.haven.verify;

import org.haven.text.KnownIdentifiers;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import org.haven.cli.Command;
import org.haven.cli.UsageException;

/**
 * {@code ./run.sh scan DIR [--out REPORT.json|REPORT.csv] [--config DIR]}: residual-identifier audit of any folder
 * of DICOM (before or after de-identification, Haven's or another tool's). Without a source file the
 * source-identifier rule uses each file's own PN/ID attributes as known values and reports them where they appear
 * elsewhere. Prints counts per classification (never identifiers); the report (one row per finding plus a summary
 * row per file) holds the matched text for the reviewer. Unreadable files are reported, not fatal.
 * Exit code 0 when no file has a finding, 3 when some do, 2 on bad arguments.
 */
public final class ScanCommand implements Command {
    public static final int EXIT_FINDINGS = 3;

    public ScanCommand() {}

    /** Outcome for one file. */
    public record FileResult(Path file, VerificationReport report, String error) {
        public String status() { return error != null ? "unreadable" : report.passed() ? "passed" : "failed"; }
    }

    @Override
    public int run(List<String> args) throws Exception {
        Path dir = null, out = null, config = Path.of("config", "verify");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--config" -> config = Path.of(value(args, ++i, a));
                default -> {
                    if (a.startsWith("--")) throw new UsageException("unknown option " + a);
                    if (dir != null) throw new UsageException("one DIR only");
                    dir = Path.of(a);
                }
            }
        }
        if (dir == null) throw new UsageException("DIR is required");
        if (!Files.exists(dir)) throw new UsageException("no such file or folder: " + dir);
        if (out != null && !(out.toString().endsWith(".json") || out.toString().endsWith(".csv"))) {
            throw new UsageException("--out must end in .json or .csv");
        }
        Verifier verifier = Verifier.load(config);
        List<FileResult> results = scanAll(verifier, dir, out);
        if (out != null) {
            if (out.getParent() != null) Files.createDirectories(out.getParent());
            if (out.toString().endsWith(".csv")) writeCsv(results, dir, out);
            else writeJson(results, dir, out);
        }
        Map<String, Integer> counts = new TreeMap<>();
        int passed = 0, failed = 0, unreadable = 0;
        for (FileResult r : results) {
            switch (r.status()) {
                case "passed" -> passed++;
                case "failed" -> failed++;
                default -> unreadable++;
            }
            if (r.report() != null) r.report().countsByClassification().forEach((k, v) -> counts.merge(k, v, Integer::sum));
        }
        System.out.printf("scanned %d files: %d passed, %d with findings, %d unreadable%s%n", results.size(), passed, failed, unreadable,
                verifier.hasNameLists() ? "" : " (no name lists: name detector on context rules only)");
        counts.forEach((k, v) -> System.out.printf("  %-20s %d%n", k, v));
        if (out != null) System.out.println("report: " + out);
        return failed > 0 ? EXIT_FINDINGS : 0;
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) throw new UsageException(option + " needs a value");
        return args.get(i);
    }

    /** Scans every regular file under {@code dir} (hidden files and the report itself excluded), in path order. */
    public static List<FileResult> scanAll(Verifier verifier, Path dir, Path exclude) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !hidden(dir, p))
                    .filter(p -> exclude == null || !p.toAbsolutePath().normalize().equals(exclude.toAbsolutePath().normalize()))
                    .sorted().toList();
        }
        List<FileResult> results = new ArrayList<>();
        for (Path f : files) results.add(scanFile(verifier, f));
        return results;
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /** Reads the header (up to pixel data) and scans it against its own identifiers; never throws. */
    public static FileResult scanFile(Verifier verifier, Path file) {
        AttributeList list;
        try {
            list = read(file);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return new FileResult(file, null, "not readable as DICOM: " + e.getClass().getSimpleName());
        }
        try {
            return new FileResult(file, verifier.scan(list, KnownIdentifiers.fromSelf(list), List.of()), null);
        } catch (RuntimeException e) {
            return new FileResult(file, null, "scan failed: " + e.getClass().getSimpleName());
        }
    }

    /** A DICOM header up to (not including) PixelData; files without a preamble or meta header too. */
    public static AttributeList read(Path file) throws Exception {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             DicomInputStream din = new DicomInputStream(in)) {
            AttributeList list = new AttributeList();
            list.read(din, TagFromName.PixelData);
            if (list.isEmpty()) throw new IOException("no attributes");
            return list;
        }
    }

    static void writeJson(List<FileResult> results, Path root, Path out) throws IOException {
        List<Map<String, Object>> files = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> status = new TreeMap<>();
        for (FileResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", root.relativize(r.file()).toString());
            m.put("status", r.status());
            status.merge(r.status(), 1, Integer::sum);
            if (r.error() != null) m.put("error", r.error());
            if (r.report() != null) {
                m.putAll(r.report().toMap());
                r.report().countsByClassification().forEach((k, v) -> counts.merge(k, v, Integer::sum));
            }
            files.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files", results.size());
        summary.put("status", status);
        summary.put("counts", counts);
        doc.put("summary", summary);
        doc.put("files", files);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), doc);
    }

    static void writeCsv(List<FileResult> results, Path root, Path out) throws IOException {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("file,row,status,classification,rule_id,attribute_path,offset,matched_text,detail\n");
            for (FileResult r : results) {
                String file = root.relativize(r.file()).toString();
                if (r.report() != null) {
                    for (Finding f : r.report().findings()) {
                        w.write(csv(file, "finding", "failed", f.classification(), f.ruleId(), f.attributePath(), String.valueOf(f.offset()), f.matchedText(), ""));
                    }
                }
                String detail = r.error() != null ? r.error() : r.report().findings().size() + " findings";
                String primary = r.report() == null || r.report().primaryClassification() == null ? "" : r.report().primaryClassification();
                w.write(csv(file, "summary", r.status(), primary, "", "", "", "", detail));
            }
        }
    }

    static String csv(String... cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            String c = cells[i] == null ? "" : cells[i];
            // Spreadsheet formula injection: matched text comes from untrusted files
            if (!c.isEmpty() && "=+-@".indexOf(c.charAt(0)) >= 0 && i == 7) c = "'" + c;
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) c = '"' + c.replace("\"", "\"\"") + '"';
            sb.append(c);
        }
        return sb.append('\n').toString();
    }
}

package org.haven.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.haven.config.ConfigException;
import org.haven.pixel.PixelRule;
import org.haven.pixel.PixelRules;
import org.haven.store.Workspace;
import org.haven.text.NameLists;
import org.haven.verify.Verifier;

/**
 * Rules made from review decisions, appended to configuration files. Verification rules are validated by loading the
 * whole {@code config/verify} directory with the new entry into {@link Verifier#load} from a scratch copy; only a
 * valid result replaces the real file (atomic rename), so a bad entry never reaches the running configuration.
 * Pixel rules are checked for shape and bounds, and the whole {@code config/pixels} folder is loaded with them from a scratch copy,
 * before they replace {@code config/pixels/05-from-review.yaml}; the newest rule is put first (first match wins).
 */
public final class RuleFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._\\-]{0,99}");
    private final Path verifyDir;
    private final Path pixelsDir;

    public RuleFiles(Path verifyDir, Path pixelsDir) {
        this.verifyDir = verifyDir;
        this.pixelsDir = pixelsDir;
    }

    public Path allowlistFile() { return verifyDir.resolve("allowlist.yaml"); }

    public Path reportRulesFile() { return verifyDir.resolve("from-review.yaml"); }

    /** Sorts before every shipped device rule (first match wins), so a rule from review overrides the one it extends. */
    public Path pixelFile() { return pixelsDir.resolve("05-from-review.yaml"); }

    /** An allowlist entry: findings of {@code ruleId} whose text equals {@code value} within {@code applyTo} are dropped. */
    public synchronized void addAllow(String id, String description, String ruleId, String value, String applyTo) throws IOException {
        addAllow(id, description, ruleId == null || ruleId.isBlank() ? List.of() : List.of(ruleId), value, applyTo, null);
    }

    /**
     * An allowlist entry for every rule in {@code ruleIds} (all rules when empty): their findings whose text equals
     * {@code value} within {@code applyTo} (a keyword) or {@code vr} (e.g. OCR) are dropped.
     */
    public synchronized void addAllow(String id, String description, List<String> ruleIds, String value, String applyTo, String vr) throws IOException {
        checkId(id);
        if (value == null || value.isBlank()) throw new WebException(400, "value required");
        StringBuilder e = new StringBuilder("\n  - id: ").append(id).append('\n')
            .append("    description: ").append(q(description)).append('\n');
        if (!ruleIds.isEmpty()) e.append("    rules: [").append(String.join(", ", ruleIds.stream().map(RuleFiles::q).toList())).append("]\n");
        e.append("    values: [").append(q(value.strip())).append("]\n");
        if (applyTo != null && !applyTo.isBlank()) e.append("    apply-to: [").append(q(applyTo)).append("]\n");
        if (vr != null && !vr.isBlank()) e.append("    vr: [").append(q(vr)).append("]\n");
        Path file = allowlistFile();
        String current = Files.isRegularFile(file) ? Files.readString(file) : "allow:\n";
        if (!lastTopLevelKey(current).equals("allow")) throw new WebException(500, "allowlist.yaml does not end with its allow: list");
        if (current.contains("\n  - id: " + id + "\n")) throw new WebException(400, "duplicate id " + id);
        writeVerify(file, (current.endsWith("\n") ? current : current + "\n") + e);
    }

    /** A report rule: a regular expression with a classification, optionally limited to attributes. */
    public synchronized void addReportRule(String id, String description, String regex, String classification, String applyTo) throws IOException {
        checkId(id);
        if (regex == null || regex.isBlank()) throw new WebException(400, "regex required");
        if (classification == null || !ID.matcher(classification).matches()) throw new WebException(400, "classification: lower-case letters, digits, . _ -");
        StringBuilder e = new StringBuilder("\n  - id: ").append(id).append('\n')
            .append("    description: ").append(q(description)).append('\n')
            .append("    regex: ").append(q(regex)).append('\n')
            .append("    classification: ").append(classification).append('\n');
        if (applyTo != null && !applyTo.isBlank()) e.append("    apply-to: [").append(q(applyTo)).append("]\n");
        Path file = reportRulesFile();
        String current = Files.isRegularFile(file) ? Files.readString(file)
            : "# Report rules added from quarantine review (./run.sh web UI). Same format as detectors.yaml.\nrules:\n";
        writeVerify(file, current + e);
    }

    public record Box(int x, int y, int width, int height) {}

    /** A pixel rule for a device and image size: blank these boxes. Format of config/pixels/*.yaml. */
    public synchronized void addPixelBoxes(String id, String description, String modality, String manufacturer, String model,
                                           int rows, int columns, List<Box> boxes) throws IOException {
        if (modality == null || modality.isBlank()) throw new WebException(400, "modality required");
        Map<String, String> when = new LinkedHashMap<>();
        when.put("Modality", modality);
        if (manufacturer != null && !manufacturer.isBlank()) when.put("Manufacturer", manufacturer);
        if (model != null && !model.isBlank()) when.put("ManufacturerModelName", model);
        if (boxes == null || boxes.isEmpty()) throw new WebException(400, "at least one box");
        List<PixelRule.Region> blank = new ArrayList<>();
        for (Box b : boxes) blank.add(new PixelRule.Region(pixelBox(b, rows, columns), Set.of()));
        addPixelRule(id, description, when, rows, columns, blank, false, List.of(), false, false);
    }

    /**
     * A device rule ({@code when}: exact header values, plus Rows and Columns) written first in {@link #pixelFile()}:
     * blank regions, keep ultrasound regions, allowed text regions, risk. The whole folder is validated with it first.
     */
    public synchronized void addPixelRule(String id, String description, Map<String, String> when, int rows, int columns,
                                          List<PixelRule.Region> blank, boolean keepUltrasoundRegions, List<org.haven.pixel.Box> allowText,
                                          boolean allowTextInUltrasoundRegions, boolean highRisk) throws IOException {
        addPixelRule(id, description, when, rows, columns, blank, keepUltrasoundRegions, allowText, allowTextInUltrasoundRegions, highRisk, null);
    }

    /** As above, with {@code source: {note: ...}} saying where the rule came from (e.g. a proposal and who accepted it). */
    public synchronized void addPixelRule(String id, String description, Map<String, String> when, int rows, int columns,
                                          List<PixelRule.Region> blank, boolean keepUltrasoundRegions, List<org.haven.pixel.Box> allowText,
                                          boolean allowTextInUltrasoundRegions, boolean highRisk, String sourceNote) throws IOException {
        checkId(id);
        if (rows <= 0 || columns <= 0) throw new WebException(400, "rows and columns must be positive");
        for (PixelRule.Region r : blank) pixelBox(new Box(r.box().x(), r.box().y(), r.box().width(), r.box().height()), rows, columns);
        for (org.haven.pixel.Box b : allowText) pixelBox(new Box(b.x(), b.y(), b.width(), b.height()), rows, columns);
        Path file = pixelFile();
        String current = Files.isRegularFile(file) ? Files.readString(file)
            : "# Pixel rules added from quarantine review (./run.sh web UI), newest first: each extends the rule the device had.\nrules:\n";
        if (current.contains("\n  - id: " + id + "\n")) throw new WebException(400, "duplicate id " + id);
        StringBuilder e = new StringBuilder("  - id: ").append(id).append('\n')
            .append("    description: ").append(q(description)).append('\n');
        if (sourceNote != null && !sourceNote.isBlank()) e.append("    source:\n      note: ").append(q(sourceNote)).append('\n');
        if (highRisk) e.append("    risk: high\n");
        e.append("    when:\n");
        for (Map.Entry<String, String> w : when.entrySet()) e.append("      ").append(w.getKey()).append(": ").append(q(w.getValue())).append('\n');
        e.append("      Rows: ").append(rows).append('\n').append("      Columns: ").append(columns).append('\n');
        e.append("    blank:").append(blank.isEmpty() ? " []\n" : "\n");
        for (PixelRule.Region r : blank) {
            e.append("      - {").append(box(r.box()));
            if (!r.frames().isEmpty()) e.append(", frames: ").append(new java.util.TreeSet<>(r.frames()));
            e.append("}\n");
        }
        if (keepUltrasoundRegions) e.append("    keep: ultrasound-regions\n");
        if (!allowText.isEmpty() || allowTextInUltrasoundRegions) {
            e.append("    allow-text:\n");
            for (org.haven.pixel.Box b : allowText) e.append("      - {").append(box(b)).append("}\n");
            if (allowTextInUltrasoundRegions) e.append("      - ultrasound-regions\n");
        }
        int at = current.indexOf("\nrules:\n");
        if (at < 0 && !current.startsWith("rules:\n")) throw new WebException(500, file.getFileName() + " has no top-level rules: list");
        int insert = at < 0 ? "rules:\n".length() : at + "\nrules:\n".length();
        String next = current.substring(0, insert) + e + current.substring(insert);
        writePixels(file, next);
    }

    private static String box(org.haven.pixel.Box b) {
        return "x: " + b.x() + ", y: " + b.y() + ", width: " + b.width() + ", height: " + b.height();
    }

    private static org.haven.pixel.Box pixelBox(Box b, int rows, int columns) {
        if (b.x() < 0 || b.y() < 0 || b.width() <= 0 || b.height() <= 0 || b.x() + b.width() > columns || b.y() + b.height() > rows) {
            throw new WebException(400, "box outside the " + columns + "x" + rows + " image: " + b);
        }
        return new org.haven.pixel.Box(b.x(), b.y(), b.width(), b.height());
    }

    /** Loads config/pixels with {@code file} replaced by {@code text} from a scratch copy; replaces the file only if valid. */
    private void writePixels(Path file, String text) throws IOException {
        validatePixels(text);
        Files.createDirectories(pixelsDir);
        Path scratch = Files.createTempDirectory("haven-pixels-check");
        try {
            try (Stream<Path> s = Files.list(pixelsDir)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) Files.copy(p, scratch.resolve(p.getFileName()));
            }
            Files.writeString(scratch.resolve(file.getFileName()), text, StandardCharsets.UTF_8);
            try {
                PixelRules.load(scratch);
            } catch (ConfigException e) {
                throw new WebException(400, "rule rejected: " + e.getMessage().replace(scratch.toString(), pixelsDir.toString()));
            }
            replace(file, text);
        } finally {
            try (Stream<Path> s = Files.list(scratch)) {
                for (Path p : s.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(scratch);
        }
    }

    @SuppressWarnings("unchecked")
    static void validatePixels(String text) {
        Object doc;
        try {
            doc = new org.yaml.snakeyaml.Yaml().load(text);
        } catch (RuntimeException e) {
            throw new WebException(400, "pixel rules do not parse: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> m) || !(m.get("rules") instanceof List<?> rules)) throw new WebException(400, "pixel rules: expected rules: [...]");
        for (Object r : rules) {
            Map<String, Object> rule = (Map<String, Object>) r;
            if (!(rule.get("id") instanceof String) || !(rule.get("when") instanceof Map) || !(rule.get("blank") instanceof List)) {
                throw new WebException(400, "pixel rule needs id, when and blank");
            }
            for (Object b : (List<Object>) rule.get("blank")) {
                Map<String, Object> box = (Map<String, Object>) b;
                for (String k : List.of("x", "y", "width", "height")) {
                    if (!(box.get(k) instanceof Integer)) throw new WebException(400, "box " + k + " must be an integer");
                }
            }
        }
    }

    /** Loads config/verify with {@code file} replaced by {@code text} from a scratch copy; replaces the file only if valid. */
    private void writeVerify(Path file, String text) throws IOException {
        Path scratch = Files.createTempDirectory("haven-verify-check");
        try {
            try (Stream<Path> s = Files.list(verifyDir)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) Files.copy(p, scratch.resolve(p.getFileName()));
            }
            Files.writeString(scratch.resolve(file.getFileName()), text, StandardCharsets.UTF_8);
            try {
                Verifier.load(scratch, NameLists.EMPTY);
            } catch (ConfigException e) {
                throw new WebException(400, "rule rejected: " + e.getMessage().replace(scratch.toString(), verifyDir.toString()));
            } catch (RuntimeException e) {
                throw new WebException(400, "rule rejected: " + e.getMessage());
            }
            replace(file, text);
        } finally {
            try (Stream<Path> s = Files.list(scratch)) {
                for (Path p : s.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(scratch);
        }
    }

    private static void replace(Path file, String text) throws IOException {
        Workspace.writeWhole(file, text);
    }

    static String lastTopLevelKey(String yaml) {
        String last = "";
        for (String line : yaml.split("\n")) {
            if (!line.isEmpty() && Character.isLetter(line.charAt(0)) && line.contains(":")) last = line.substring(0, line.indexOf(':')).trim();
        }
        return last;
    }

    static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) throw new WebException(400, "id: lower-case letters, digits, . _ - (start with a letter or digit)");
    }

    /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
    static String q(String s) {
        try {
            return JSON.writeValueAsString(s == null ? "" : s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.haven.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.haven.config.ConfigException;
import org.haven.store.Workspace;
import org.haven.text.NameLists;
import org.haven.verify.Verifier;

/**
 * Rules made from review decisions, appended to configuration files. Verification rules are validated by loading the
 * whole {@code config/verify} directory with the new entry into {@link Verifier#load} from a scratch copy; only a
 * valid result replaces the real file (atomic rename), so a bad entry never reaches the running configuration.
 * Pixel boxes are checked for shape and bounds and re-parsed before they replace {@code config/pixels/20-from-review.yaml} (sorted before the generic rules: first match wins).
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

    public Path pixelFile() { return pixelsDir.resolve("20-from-review.yaml"); }

    /** An allowlist entry: findings of {@code ruleId} whose text equals {@code value} within {@code applyTo} are dropped. */
    public synchronized void addAllow(String id, String description, String ruleId, String value, String applyTo) throws IOException {
        checkId(id);
        if (value == null || value.isEmpty()) throw new WebException(400, "value required");
        StringBuilder e = new StringBuilder("\n  - id: ").append(id).append('\n')
            .append("    description: ").append(q(description)).append('\n');
        if (ruleId != null && !ruleId.isBlank()) e.append("    rules: [").append(q(ruleId)).append("]\n");
        e.append("    values: [").append(q(value)).append("]\n");
        if (applyTo != null && !applyTo.isBlank()) e.append("    apply-to: [").append(q(applyTo)).append("]\n");
        Path file = allowlistFile();
        String current = Files.isRegularFile(file) ? Files.readString(file) : "allow:\n";
        if (!lastTopLevelKey(current).equals("allow")) throw new WebException(500, "allowlist.yaml does not end with its allow: list");
        writeVerify(file, current + e);
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
        checkId(id);
        if (modality == null || modality.isBlank()) throw new WebException(400, "modality required");
        if (rows <= 0 || columns <= 0) throw new WebException(400, "rows and columns must be positive");
        if (boxes == null || boxes.isEmpty()) throw new WebException(400, "at least one box");
        for (Box b : boxes) {
            if (b.x() < 0 || b.y() < 0 || b.width() <= 0 || b.height() <= 0 || b.x() + b.width() > columns || b.y() + b.height() > rows) {
                throw new WebException(400, "box outside the " + columns + "x" + rows + " image: " + b);
            }
        }
        Path file = pixelFile();
        String current = Files.isRegularFile(file) ? Files.readString(file)
            : "# Pixel rules added from quarantine review (./run.sh web UI): blank these boxes for this device and image size.\nrules:\n";
        if (current.contains("\n  - id: " + id + "\n")) throw new WebException(400, "duplicate id " + id);
        StringBuilder e = new StringBuilder("\n  - id: ").append(id).append('\n')
            .append("    description: ").append(q(description)).append('\n')
            .append("    when:\n")
            .append("      Modality: ").append(q(modality)).append('\n');
        if (manufacturer != null && !manufacturer.isBlank()) e.append("      Manufacturer: ").append(q(manufacturer)).append('\n');
        if (model != null && !model.isBlank()) e.append("      ManufacturerModelName: ").append(q(model)).append('\n');
        e.append("      Rows: ").append(rows).append('\n').append("      Columns: ").append(columns).append('\n').append("    blank:\n");
        for (Box b : boxes) e.append("      - {x: ").append(b.x()).append(", y: ").append(b.y()).append(", width: ").append(b.width())
            .append(", height: ").append(b.height()).append("}\n");
        String next = current + e;
        validatePixels(next);
        Files.createDirectories(pixelsDir);
        replace(file, next);
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
        Path tmp = Workspace.temporaryFor(file);
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Workspace.moveInto(tmp, file);
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

package org.haven.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.haven.store.Workspace;

/**
 * "Redact this" from a finding: an entry appended to {@code config/clean/redact.yaml}, the text cleaner's list of
 * literal texts (case-insensitive, whole words) or regular expressions it removes from every value, so that the
 * re-submitted file can be released. Format:
 * <pre>
 * redact:
 *   - id: review-20261130-1
 *     text: "Kirkton Crescent"     # or regex: "..."
 *     reason: "street name in history"
 *     added-by: alice
 * </pre>
 * The whole file is parsed and checked (a list under {@code redact}, unique ids, non-empty text, regexes compile) with
 * the new entry before it replaces the old file by atomic rename. The cleaner (org.haven.deidentify) reloads it.
 */
public final class RedactFile {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private final Path file;

    public RedactFile(Path file) { this.file = file; }

    public Path file() { return file; }

    /** Creates the file with {@code redact: []} when it is absent. */
    public synchronized void ensureExists() throws IOException {
        if (Files.isRegularFile(file)) return;
        Files.createDirectories(file.getParent());
        replace("# Texts the cleaner removes from every value (added from quarantine review). See README, review section.\nredact: []\n");
    }

    /** Appends one entry (exactly one of {@code text} and {@code regex}); returns its id ({@code review-YYYYMMDD-N}). */
    public synchronized String add(String text, String regex, String reason, String addedBy) throws IOException {
        boolean hasText = text != null && !text.isBlank();
        boolean hasRegex = regex != null && !regex.isBlank();
        if (hasText == hasRegex) throw new WebException(400, "give the text to redact or a regex (one of them)");
        if (reason == null || reason.isBlank()) throw new WebException(400, "a reason is required");
        if (hasRegex) compile(regex);
        ensureExists();
        String current = Files.readString(file, StandardCharsets.UTF_8);
        Set<String> ids = ids(parse(current));
        String prefix = "review-" + LocalDate.now(ZoneOffset.UTC).format(DAY) + "-";
        int n = 1;
        while (ids.contains(prefix + n)) n++;
        String id = prefix + n;
        String entry = "  - id: " + id + "\n"
            + (hasText ? "    text: " + RuleFiles.q(text.strip()) + "\n" : "    regex: " + RuleFiles.q(regex) + "\n")
            + "    reason: " + RuleFiles.q(reason.strip()) + "\n"
            + "    added-by: " + RuleFiles.q(addedBy) + "\n";
        String base = current.replaceFirst("(?m)^redact:\\s*\\[\\s*\\]\\s*$", "redact:");
        if (!base.endsWith("\n")) base += "\n";
        if (!RuleFiles.lastTopLevelKey(base).equals("redact")) throw new WebException(500, file.getFileName() + " does not end with its redact: list");
        String next = base + entry;
        ids(parse(next)); // validates the whole file with the new entry
        replace(next);
        return id;
    }

    /** The entries, checked: a list of mappings with unique ids and a non-empty text or a compiling regex. */
    static List<Map<String, Object>> parse(String yaml) {
        Object doc;
        try {
            doc = new org.yaml.snakeyaml.Yaml().load(yaml);
        } catch (RuntimeException e) {
            throw new WebException(400, "redact.yaml does not parse: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> m) || !m.containsKey("redact")) throw new WebException(400, "redact.yaml: expected redact: [...]");
        Object list = m.get("redact");
        if (list == null) return List.of();
        if (!(list instanceof List<?> l)) throw new WebException(400, "redact.yaml: redact must be a list");
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> e) || !(e.get("id") instanceof String id) || id.isBlank()) throw new WebException(400, "redact.yaml: every entry needs an id");
            Object text = e.get("text");
            Object regex = e.get("regex");
            boolean hasText = text instanceof String t && !t.isBlank();
            boolean hasRegex = regex instanceof String r && !r.isBlank();
            if (hasText == hasRegex) throw new WebException(400, "redact.yaml: entry " + id + " needs a non-empty text or a regex");
            if (hasRegex) compile((String) regex);
        }
        @SuppressWarnings("unchecked") List<Map<String, Object>> out = (List<Map<String, Object>>) l;
        return out;
    }

    private static Set<String> ids(List<Map<String, Object>> entries) {
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> e : entries) {
            if (!ids.add((String) e.get("id"))) throw new WebException(400, "redact.yaml: duplicate id " + e.get("id"));
        }
        return ids;
    }

    private static void compile(String regex) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new WebException(400, "not a valid regular expression: " + e.getDescription());
        }
    }

    private void replace(String text) throws IOException {
        Workspace.writeWhole(file, text);
    }
}

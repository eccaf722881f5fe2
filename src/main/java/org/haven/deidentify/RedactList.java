package org.haven.deidentify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code config/clean/redact.yaml}: values the text cleaner removes wherever they appear in free text, added by
 * reviewers (the review app appends entries) or by hand:
 * <pre>
 * redact:
 *   - id: review-20261130-1        # unique
 *     text: "Kirkton Crescent"     # literal, case-insensitive, on word boundaries; or regex: "..."
 *     reason: "street name in history"
 *     added-by: alice              # optional
 * </pre>
 * Every removal names the entry's id and {@code file:line}. Edits are picked up while running: {@link #current()}
 * looks at the file's modification time at most every two seconds and swaps in the new list only when it validates
 * (log: "reloaded" or "rejected file:line: problem"; the old list stays). A missing file is an empty list.
 */
public final class RedactList {
    private static final Logger LOG = LoggerFactory.getLogger(RedactList.class);
    static final List<String> ENTRY_KEYS = List.of("id", "text", "regex", "reason", "added-by");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]*");
    private static final long CHECK_EVERY_NANOS = 2_000_000_000L;

    /** One entry: its id, where it is ({@code file:line}) and the compiled pattern. */
    public record Entry(String id, String where, Pattern pattern, String reason) {}

    public static final RedactList NONE = new RedactList(null, List.of(), null);

    private final Path file;
    private volatile List<Entry> entries;
    private volatile FileTime loadedTime;
    private volatile long lastCheck = System.nanoTime();

    private RedactList(Path file, List<Entry> entries, FileTime loadedTime) {
        this.file = file;
        this.entries = List.copyOf(entries);
        this.loadedTime = loadedTime;
    }

    /** Loads and validates the file (missing: empty list); a bad file fails with {@code file:line: problem}. */
    public static RedactList load(Path file) {
        if (!Files.isRegularFile(file)) return new RedactList(file, List.of(), null);
        try {
            FileTime t = Files.getLastModifiedTime(file);
            return new RedactList(file, parse(file), t);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    /** The entries now, reloading first when the file changed (checked at most every two seconds). */
    public List<Entry> current() {
        if (file == null) return entries;
        long now = System.nanoTime();
        if (now - lastCheck < CHECK_EVERY_NANOS) return entries;
        synchronized (this) {
            if (now - lastCheck < CHECK_EVERY_NANOS) return entries;
            lastCheck = now;
            reloadIfChanged();
        }
        return entries;
    }

    /** Re-reads the file now if its modification time changed; true when a new list was swapped in. */
    public synchronized boolean reloadIfChanged() {
        if (file == null) return false;
        try {
            FileTime t = Files.isRegularFile(file) ? Files.getLastModifiedTime(file) : null;
            if (t == null ? loadedTime == null : t.equals(loadedTime)) return false;
            List<Entry> fresh = t == null ? List.of() : parse(file);
            entries = List.copyOf(fresh);
            loadedTime = t;
            LOG.info("redact list {} reloaded: {} entries", file.getFileName(), fresh.size());
            return true;
        } catch (ConfigException e) {
            LOG.warn("redact list rejected {}; the previous list stays", e.getMessage());
            try { loadedTime = Files.getLastModifiedTime(file); } catch (IOException ignored) { /* checked again next time */ }
            return false;
        } catch (IOException e) {
            LOG.warn("redact list {} not readable ({}); the previous list stays", file.getFileName(), e.getClass().getSimpleName());
            return false;
        }
    }

    static List<Entry> parse(Path file) {
        YamlNode root = YamlNode.load(file);
        if (!root.isMap()) throw root.fail("expected a mapping with the key 'redact'");
        root.allowOnly(List.of("redact"));
        List<Entry> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        YamlNode list = root.get("redact").orElse(null);
        if (list == null || list.isScalar() && list.text().isEmpty()) return out;
        for (YamlNode n : list.list()) {
            if (!n.isMap()) throw n.fail("a redact entry must be a mapping with id, text or regex, and reason");
            n.allowOnly(ENTRY_KEYS);
            String id = n.requireString("id").trim();
            if (!ID.matcher(id).matches()) throw n.require("id").fail("id '" + id + "' must be letters, digits, '.', '_' or '-'");
            if (!ids.add(id)) throw n.require("id").fail("duplicate id '" + id + "'");
            boolean hasText = n.get("text").isPresent(), hasRegex = n.get("regex").isPresent();
            if (hasText == hasRegex) throw n.fail("redact entry '" + id + "' needs exactly one of 'text' or 'regex'");
            if (n.string("reason", "").isBlank()) throw n.fail("redact entry '" + id + "' needs a 'reason'");
            Pattern p;
            if (hasText) {
                String text = n.require("text").text().trim();
                if (text.length() < 2) throw n.require("text").fail("text of '" + id + "' is too short to redact safely (2 characters at least)");
                p = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(text).replace(" ", "\\E\\s+\\Q") + "(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } else {
                String re = n.require("regex").text();
                if (re.isEmpty()) throw n.require("regex").fail("empty regex");
                try {
                    p = Pattern.compile(re, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                } catch (PatternSyntaxException e) {
                    throw n.require("regex").fail("bad regex: " + e.getDescription() + " near index " + e.getIndex());
                }
                if (p.matcher("").matches()) throw n.require("regex").fail("regex of '" + id + "' matches empty text");
            }
            out.add(new Entry(id, file.getFileName() + ":" + n.line(), p, n.string("reason", "").trim()));
        }
        return out;
    }
}

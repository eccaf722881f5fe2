package org.haven.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.haven.config.ConfigException;

/**
 * Haven's settings: built-in defaults, then {@code config/haven.properties}, then environment variables
 * ({@code HAVEN_DB_URL} overrides {@code haven.db.url}), then explicit overrides (tests, batch mode).
 * Values may refer to other keys as {@code ${haven.workspace}}. All of them are also Camel properties, so routes use
 * them as {@code {{haven.inbox}}}.
 */
public final class Settings {
    private static final Pattern REF = Pattern.compile("\\$\\{([a-zA-Z0-9._-]+)}");
    private final Properties values;

    private Settings(Properties values) { this.values = values; }

    public static Settings load(Path propertiesFile, Map<String, String> env, Map<String, String> overrides) {
        Properties p = defaults();
        if (propertiesFile != null && Files.isRegularFile(propertiesFile)) {
            try (Reader r = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(propertiesFile, 0, "cannot read settings: " + e.getMessage());
            }
        }
        for (String key : p.stringPropertyNames().toArray(String[]::new)) {
            String envName = key.toUpperCase().replace('.', '_').replace('-', '_');
            if (env.containsKey(envName)) p.setProperty(key, env.get(envName));
        }
        overrides.forEach(p::setProperty);
        // The workspace as an absolute path, so the default H2 store lives under the workspace wherever Haven is
        // started from (H2 refuses paths implicitly relative to the working directory, and a store outside the
        // workspace would be missed by a workspace backup). Derived: always recomputed.
        Settings s = new Settings(p);
        p.setProperty("haven.workspace.dir", Path.of(s.get("haven.workspace")).toAbsolutePath().normalize().toString());
        return s;
    }

    static Properties defaults() {
        Properties p = new Properties();
        p.setProperty("haven.workspace", "work");
        p.setProperty("haven.inbox", "${haven.workspace}/inbox");
        p.setProperty("haven.release", "${haven.workspace}/release");
        p.setProperty("haven.quarantine", "${haven.workspace}/quarantine");
        p.setProperty("haven.config", "config");
        p.setProperty("haven.routes", "routes");
        p.setProperty("haven.profiles", "${haven.config}/profiles");
        p.setProperty("haven.devices", "${haven.config}/devices.yaml");
        p.setProperty("haven.verify", "${haven.config}/verify");
        p.setProperty("haven.pixels", "${haven.config}/pixels");
        p.setProperty("haven.patients", "${haven.config}/patients.yaml");
        p.setProperty("haven.resolve.external.url", "");
        p.setProperty("haven.resolve.external.user", "");
        p.setProperty("haven.resolve.external.password", "");
        p.setProperty("haven.resolve.external.query", "select chi from patient_index where issuer = ? and local_id = ?");
        p.setProperty("haven.resolve.external.cache-minutes", "60");
        p.setProperty("haven.resolve.external.cache-size", "100000");
        p.setProperty("haven.workers.ocr", "1");
        p.setProperty("haven.project", "default");
        p.setProperty("haven.default-board", "unknown-board");
        p.setProperty("haven.node", "node-" + ProcessHandle.current().pid());
        p.setProperty("haven.inbox.enabled", "true");
        p.setProperty("haven.inbox.min-age-ms", "1000");
        p.setProperty("haven.inbox.poll-ms", "250");
        p.setProperty("haven.inbox.complete", "open-handles");
        p.setProperty("haven.inbox.max-bytes", "1073741824");
        p.setProperty("haven.inbox.max-files-per-poll", "500");
        p.setProperty("haven.inbox.threads", String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
        p.setProperty("haven.board-names", "");
        p.setProperty("haven.board-names.pattern", "[a-z][a-z0-9-]{0,39}");
        p.setProperty("haven.disk.min-free-mb", "256");
        p.setProperty("haven.max-deliveries", "4");
        p.setProperty("haven.workers.ingest", "1");
        // a classify consumer carries its file through de-identify, verify and release (routes/classify.yaml)
        p.setProperty("haven.workers.classify", String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
        p.setProperty("haven.queues.enabled", "true");
        p.setProperty("haven.timers.enabled", "true");
        p.setProperty("haven.ocr.uri", "jms:queue:haven.ocr?exchangePattern=InOnly");
        p.setProperty("haven.db.url", "jdbc:h2:file:${haven.workspace.dir}/db/haven;AUTO_SERVER=TRUE");
        p.setProperty("haven.db.user", "sa");
        p.setProperty("haven.db.password", "");
        p.setProperty("haven.db.pool-size", "10");
        p.setProperty("haven.broker.embedded", "true");
        p.setProperty("haven.broker.persistent", "true");
        p.setProperty("haven.broker.memory-mb", "32");
        p.setProperty("haven.broker.name", "haven");
        p.setProperty("haven.broker.data", "${haven.workspace}/broker");
        p.setProperty("haven.broker.listen", "");
        p.setProperty("haven.broker.url", "vm://haven?create=false");
        p.setProperty("haven.broker.user", "");
        p.setProperty("haven.broker.password", "");
        p.setProperty("haven.secret.key", "");
        p.setProperty("haven.secret.key-file", "${haven.workspace}/secret.key");
        p.setProperty("haven.secret.generate", "true");
        p.setProperty("haven.routes.reload", "true");
        p.setProperty("haven.force-profile", "");
        p.setProperty("haven.batch.timeout-s", "3600");
        // staged and de-identified copies forced to the device (a batch run with its own store turns it off: DeidentifyCommand)
        p.setProperty("haven.outgoing.sync", "true");
        p.setProperty("haven.batch.threads", String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
        p.setProperty("haven.web.enabled", "false");
        p.setProperty("haven.web.bind", "127.0.0.1");
        p.setProperty("haven.web.port", "8080");
        p.setProperty("haven.web.session-minutes", "30");
        p.setProperty("haven.web.secure-cookie", "false");
        p.setProperty("haven.web.resubmit-uri", "jms:queue:haven.classify");
        p.setProperty("haven.dicom.port", "");
        p.setProperty("haven.dicom.bind", "0.0.0.0");
        p.setProperty("haven.dicom.ae-title", "HAVEN");
        p.setProperty("haven.boards", "${haven.config}/boards.yaml");
        p.setProperty("haven.dicom.max-associations", "8");
        p.setProperty("haven.dicom.max-object-mb", "2048");
        p.setProperty("haven.dicom.idle-timeout-s", "60");
        p.setProperty("haven.destinations", "${haven.config}/destinations.yaml");
        p.setProperty("haven.export.enabled", "true");
        p.setProperty("haven.export.poll-ms", "1000");
        p.setProperty("haven.export.batch", "100");
        p.setProperty("haven.ops.stuck-after", "15m");
        p.setProperty("haven.ops.queues", ">");
        p.setProperty("haven.ops.broker-url", "");
        p.setProperty("haven.ops.metrics.enabled", "false");
        p.setProperty("haven.ops.metrics.bind", "127.0.0.1");
        p.setProperty("haven.ops.metrics.port", "9464");
        p.setProperty("haven.ops.metrics.token", "");
        return p;
    }

    /** The value with ${...} references resolved; missing keys are an error that names the key. */
    public String get(String key) {
        String v = values.getProperty(key);
        if (v == null) throw new IllegalArgumentException("setting '" + key + "' is not defined");
        return resolve(v, 0).trim();
    }

    /** The value of an optional key (e.g. a per-board override), resolved, or empty when it is not set. */
    public java.util.Optional<String> find(String key) {
        return values.getProperty(key) == null ? java.util.Optional.empty() : java.util.Optional.of(get(key));
    }

    public int getInt(String key) { return Integer.parseInt(get(key)); }

    public long getLong(String key) { return Long.parseLong(get(key)); }

    public boolean getBoolean(String key) { return Boolean.parseBoolean(get(key)); }

    public Path path(String key) { return Path.of(get(key)); }

    private String resolve(String v, int depth) {
        if (depth > 10) throw new IllegalArgumentException("settings refer to each other in a loop: " + v);
        Matcher m = REF.matcher(v);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(resolve(values.getProperty(m.group(1), ""), depth + 1)));
        m.appendTail(sb);
        return sb.toString();
    }

    /** Every setting, resolved: handed to Camel as its initial properties. */
    public Properties resolved() {
        Properties out = new Properties();
        for (String k : values.stringPropertyNames()) out.setProperty(k, get(k));
        return out;
    }
}

package org.haven.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rule file (or folder of {@code *.yaml}) that may change while Haven runs: the one way Haven validates, swaps and
 * reports live configuration (device registry, verification rules, pixel rules). The loaded value is swapped
 * atomically, so a stage always sees one consistent version; a change that does not validate is logged as
 * "rejected file:line: problem" and the version in force stays. Changes are found by a hash of the watched files
 * ({@link #checkForChanges()}, called by the timer in routes/config-watch.yaml) or applied at once by a writer that
 * has just replaced a file ({@link #reloadNow()}, e.g. the review UI).
 */
public final class LiveConfig<T> implements Supplier<T> {
    private static final Logger LOG = LoggerFactory.getLogger(LiveConfig.class);

    /** One loaded version and the hash of the files it was loaded from. */
    public record Version<T>(T value, String hash) {}

    private final String name;
    private final List<Path> watched;
    private final Supplier<T> loader;
    private final AtomicReference<Version<T>> current = new AtomicReference<>();
    private final AtomicReference<String> rejection = new AtomicReference<>();

    private LiveConfig(String name, List<Path> watched, Supplier<T> loader) {
        this.name = name;
        this.watched = List.copyOf(watched);
        this.loader = loader;
    }

    /**
     * Loads now (a {@link ConfigException} here stops start-up, naming file and line).
     * @param name    what it is, for log lines ("verification rules")
     * @param watched files or folders (a folder: its {@code *.yaml} / {@code *.yml} files)
     * @param loader  reads and validates the watched files, throwing {@link ConfigException} on a problem
     */
    public static <T> LiveConfig<T> load(String name, List<Path> watched, Supplier<T> loader) {
        LiveConfig<T> c = new LiveConfig<>(name, watched, loader);
        c.current.set(c.read());
        return c;
    }

    /** A value that never changes (tests, batch runs). */
    public static <T> LiveConfig<T> fixed(String name, T value) {
        LiveConfig<T> c = new LiveConfig<>(name, List.of(), () -> value);
        c.current.set(new Version<>(value, "fixed"));
        return c;
    }

    @Override
    public T get() { return current.get().value(); }

    public Version<T> version() { return current.get(); }

    public String name() { return name; }

    /** The last edit that did not validate (file:line: problem), if any: proof that the edit was read and refused. */
    public java.util.Optional<String> lastRejection() { return java.util.Optional.ofNullable(rejection.get()); }

    /** Reloads when a watched file changed; true when a new version is now in force. Never throws for a bad file. */
    public synchronized boolean checkForChanges() {
        if (watched.isEmpty()) return false;
        String hash;
        try {
            hash = hash();
        } catch (IOException e) {
            LOG.warn("{}: not readable, keeping the version in force: {}", name, e.getClass().getSimpleName());
            return false;
        }
        if (hash.equals(current.get().hash())) return false;
        try {
            swap(read());
            return true;
        } catch (ConfigException e) {
            LOG.error("{}: change rejected, the previous version stays in force: {}", name, e.getMessage());
            rejection.set(e.getMessage());
            // remember the rejected hash so the same broken edit is reported once, not every tick
            current.set(new Version<>(current.get().value(), hash));
            return false;
        }
    }

    /** Validates and swaps in the files as they are now; a problem is thrown (file:line) and the old version stays. */
    public synchronized T reloadNow() {
        if (watched.isEmpty()) return get();
        try {
            Version<T> next = read();
            swap(next);
            return next.value();
        } catch (ConfigException e) {
            LOG.error("{}: change rejected, the previous version stays in force: {}", name, e.getMessage());
            throw e;
        }
    }

    private void swap(Version<T> next) {
        current.set(next);
        LOG.info("{} reloaded", name);
    }

    private Version<T> read() {
        String before;
        try {
            before = hash();
        } catch (IOException e) {
            throw new ConfigException(watched.get(0), 0, "cannot read: " + e.getMessage());
        }
        return new Version<>(loader.get(), before);
    }

    /** SHA-256 over the watched files' names and bytes (folders: their YAML files in name order). */
    String hash() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : watched) {
                for (Path f : files(p)) {
                    sha.update(f.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    if (Files.isRegularFile(f)) sha.update(Files.readAllBytes(f));
                    sha.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> files(Path p) throws IOException {
        if (!Files.isDirectory(p)) return List.of(p);
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
    }
}

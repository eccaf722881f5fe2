package org.haven.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.haven.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in force: {@code devices.yaml} + {@code manufacturers.yaml}, loaded and validated together and
 * swapped atomically, so a file is always classified against one consistent version. {@link #checkForChanges()}
 * compares the files' hash with the loaded one (called by the timer route in routes/replay.yaml); a broken edit is
 * rejected with file:line and the registry in force stays.
 */
public final class DeviceRegistries {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistries.class);

    /** One consistent version: the devices, the normalisation table and the hash of both files. */
    public record Snapshot(DeviceRegistry devices, Manufacturers manufacturers, String hash) {}

    private final Path devicesFile;
    private final Path manufacturersFile;
    private final Set<String> knownProfiles;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final AtomicReference<Rejection> rejected = new AtomicReference<>();

    private DeviceRegistries(Path devicesFile, Path manufacturersFile, Set<String> knownProfiles) {
        this.devicesFile = devicesFile;
        this.manufacturersFile = manufacturersFile;
        this.knownProfiles = knownProfiles == null ? null : Set.copyOf(knownProfiles);
    }

    /** Loads both files; a problem in either is a {@link ConfigException} naming file and line. */
    public static DeviceRegistries load(Path devicesFile, Path manufacturersFile, Set<String> knownProfiles) {
        DeviceRegistries r = new DeviceRegistries(devicesFile, manufacturersFile, knownProfiles);
        r.current.set(r.read());
        return r;
    }

    /** A fixed registry (tests, batch runs): never reloads. */
    public static DeviceRegistries of(DeviceRegistry devices, Manufacturers manufacturers) {
        DeviceRegistries r = new DeviceRegistries(null, null, null);
        r.current.set(new Snapshot(devices, manufacturers, "fixed"));
        return r;
    }

    public Snapshot current() { return current.get(); }

    public DeviceRegistry devices() { return current.get().devices(); }

    public Manufacturers manufacturers() { return current.get().manufacturers(); }

    /**
     * Reloads when either file changed. Returns true when a new version is now in force; a file that does not
     * validate is logged (file:line: problem) and ignored, the version in force stays.
     */
    public synchronized boolean checkForChanges() {
        if (devicesFile == null) return false;
        String hash;
        try {
            hash = hash();
        } catch (IOException e) {
            LOG.warn("device registry not readable, keeping the one in force: {}", e.toString());
            return false;
        }
        if (hash.equals(current.get().hash())) return false;
        Rejection seen = rejected.get();
        if (seen != null && seen.hash().equals(hash)) return false; // already rejected: say it once
        try {
            Snapshot next = read();
            current.set(next);
            LOG.info("device registry reloaded: {} patterns", next.devices().devices().size());
            return true;
        } catch (ConfigException e) {
            rejected.set(new Rejection(hash, e.getMessage()));
            LOG.error("device registry change rejected, the previous version stays in force: {}", e.getMessage());
            return false;
        }
    }

    /** The last edit that did not validate (file:line: problem), if any: the edit was read and refused. */
    public Optional<String> lastRejection() { return Optional.ofNullable(rejected.get()).map(Rejection::problem); }

    private record Rejection(String hash, String problem) {}

    private Snapshot read() {
        try {
            String hash = hash();
            Manufacturers m = Manufacturers.load(manufacturersFile);
            DeviceRegistry d = DeviceRegistry.load(devicesFile, knownProfiles);
            return new Snapshot(d, m, hash);
        } catch (IOException e) {
            throw new ConfigException(devicesFile, 0, "cannot read: " + e.getMessage());
        }
    }

    private String hash() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(devicesFile));
            sha.update((byte) 0);
            if (Files.exists(manufacturersFile)) sha.update(Files.readAllBytes(manufacturersFile));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

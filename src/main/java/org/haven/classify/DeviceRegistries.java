package org.haven.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.haven.config.ConfigException;
import org.haven.config.LiveConfig;

/**
 * The registry in force: {@code devices.yaml} + {@code manufacturers.yaml}, loaded and validated together and
 * swapped atomically, so a file is always classified against one consistent version. {@link #checkForChanges()}
 * compares the files' hash with the loaded one (called by the timer route in routes/replay.yaml); a broken edit is
 * rejected with file:line and the registry in force stays.
 */
public final class DeviceRegistries {
    /** One consistent version: the devices, the normalisation table and the hash of both files. */
    public record Snapshot(DeviceRegistry devices, Manufacturers manufacturers, String hash) {}

    private final Path devicesFile;
    private final Path manufacturersFile;
    private final Set<String> knownProfiles;
    private LiveConfig<Snapshot> live;

    private DeviceRegistries(Path devicesFile, Path manufacturersFile, Set<String> knownProfiles) {
        this.devicesFile = devicesFile;
        this.manufacturersFile = manufacturersFile;
        this.knownProfiles = knownProfiles == null ? null : Set.copyOf(knownProfiles);
    }

    /** Loads both files; a problem in either is a {@link ConfigException} naming file and line. */
    public static DeviceRegistries load(Path devicesFile, Path manufacturersFile, Set<String> knownProfiles) {
        DeviceRegistries r = new DeviceRegistries(devicesFile, manufacturersFile, knownProfiles);
        r.live = LiveConfig.load("device registry", List.of(devicesFile, manufacturersFile), r::read);
        return r;
    }

    /** A fixed registry (tests, batch runs): never reloads. */
    public static DeviceRegistries of(DeviceRegistry devices, Manufacturers manufacturers) {
        DeviceRegistries r = new DeviceRegistries(null, null, null);
        r.live = LiveConfig.fixed("device registry", new Snapshot(devices, manufacturers, "fixed"));
        return r;
    }

    public Snapshot current() { return live.get(); }

    public DeviceRegistry devices() { return live.get().devices(); }

    public Manufacturers manufacturers() { return live.get().manufacturers(); }

    /**
     * Reloads when either file changed. Returns true when a new version is now in force; a file that does not
     * validate is logged (file:line: problem) and ignored, the version in force stays (see {@link LiveConfig}).
     */
    public boolean checkForChanges() {
        return live.checkForChanges();
    }

    /** The last edit that did not validate (file:line: problem), if any: the edit was read and refused. */
    public Optional<String> lastRejection() { return live.lastRejection(); }

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

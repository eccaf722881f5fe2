package org.haven.classify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;

/**
 * {@code config/devices.yaml}: ordered device patterns, first match wins. Each says whether files from matching
 * devices are released (trusted, with a profile), held for review, or blocked.
 */
public final class DeviceRegistry {
    public enum State { TRUSTED, REVIEW, BLOCKED }

    /** One pattern of the registry; {@code source} is "file:line" for the audit. */
    public record Device(String id, Pattern modality, Pattern manufacturer, Pattern model, Pattern software,
                         State state, String profile, String project, String source) {

        boolean matches(DeviceSignature s) {
            return modality.matcher(s.modality()).matches() && manufacturer.matcher(s.manufacturer()).matches()
                && model.matcher(s.model()).matches() && software.matcher(s.software()).matches();
        }
    }

    private static final List<String> DEVICE_KEYS = List.of("id", "modality", "manufacturer", "model", "software", "state", "profile", "project");

    private final List<Device> devices;

    private DeviceRegistry(List<Device> devices) { this.devices = List.copyOf(devices); }

    /**
     * Loads and validates the registry. {@code knownProfiles} lets the registry refuse a device that names a
     * profile which does not exist, at start-up rather than on the first file.
     */
    public static DeviceRegistry load(Path file, Set<String> knownProfiles) {
        if (!Files.isRegularFile(file)) throw new ConfigException(file, 0, "device registry not found");
        YamlNode root = YamlNode.load(file);
        root.allowOnly(List.of("devices"));
        List<Device> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode n : root.require("devices").list()) {
            n.allowOnly(DEVICE_KEYS);
            String id = n.requireString("id");
            if (!ids.add(id)) throw n.require("id").fail("duplicate device id '" + id + "'");
            State state;
            try {
                state = State.valueOf(n.requireString("state").trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw n.require("state").fail("state must be trusted, review or blocked");
            }
            String profile = n.string("profile", "");
            if (state == State.TRUSTED && profile.isBlank()) throw n.fail("trusted device '" + id + "' needs a profile");
            if (!profile.isBlank() && knownProfiles != null && !knownProfiles.contains(profile)) {
                throw n.require("profile").fail("unknown profile '" + profile + "' (known: " + String.join(", ", knownProfiles) + ")");
            }
            out.add(new Device(id, pattern(n, "modality"), pattern(n, "manufacturer"), pattern(n, "model"), pattern(n, "software"),
                state, profile, n.string("project", ""), file.getFileName() + ":" + n.line()));
        }
        return new DeviceRegistry(out);
    }

    private static Pattern pattern(YamlNode device, String key) {
        Optional<YamlNode> v = device.get(key);
        if (v.isEmpty()) return Pattern.compile(".*");
        try {
            return Pattern.compile(v.get().text().trim(), Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw v.get().fail("'" + key + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    public Optional<Device> match(DeviceSignature signature) {
        return devices.stream().filter(d -> d.matches(signature)).findFirst();
    }

    public List<Device> devices() { return devices; }
}

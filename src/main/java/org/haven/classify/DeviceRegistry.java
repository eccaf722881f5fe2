package org.haven.classify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;

/**
 * {@code config/devices.yaml}: ordered device patterns, first match wins. Each says whether files from matching
 * devices are released (trusted, with a profile and optionally a pixel rule), held for review, or blocked.
 * Patterns are case-insensitive regular expressions on whole values; manufacturer and model match the normalised
 * names ({@code config/manufacturers.yaml}); {@code privateCreator} matches when any private creator present matches.
 * Immutable: a changed file is loaded into a new registry and swapped in whole ({@link DeviceRegistries}).
 */
public final class DeviceRegistry {
    public enum State {
        TRUSTED, REVIEW, BLOCKED;

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Signature fields a pattern can name, in the order they are shown. */
    static final Map<String, Function<DeviceSignature, String>> FIELDS = new LinkedHashMap<>();
    static {
        FIELDS.put("modality", DeviceSignature::modality);
        FIELDS.put("manufacturer", DeviceSignature::manufacturer);
        FIELDS.put("model", DeviceSignature::model);
        FIELDS.put("software", DeviceSignature::software);
        FIELDS.put("station", DeviceSignature::stationName);
        FIELDS.put("privateCreator", DeviceSignature::privateCreators);
        FIELDS.put("imageSize", DeviceSignature::imageSize);
        FIELDS.put("sopClass", DeviceSignature::sopClassUID);
    }

    /**
     * One pattern of the registry. {@code source} is "file:line" for the audit; {@code patterns} holds only the
     * fields the entry names (absent = anything); {@code pixels} is a pixel rule id or "".
     */
    public record Device(String id, Map<String, Pattern> patterns, State state, String profile, String project, String pixels,
                         String source) {

        public boolean matches(DeviceSignature s) {
            for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
                String value = FIELDS.get(e.getKey()).apply(s);
                if (e.getKey().equals("privateCreator")) {
                    boolean any = false;
                    for (String c : value.split("\\\\")) any |= !c.isEmpty() && e.getValue().matcher(c).matches();
                    if (!any) return false;
                } else if (!e.getValue().matcher(value).matches()) {
                    return false;
                }
            }
            return true;
        }

        /** The pattern as written, e.g. {@code modality=CT manufacturer=GE}; {@code *} when it matches everything. */
        public String patternText() {
            if (patterns.isEmpty()) return "*";
            StringBuilder sb = new StringBuilder();
            patterns.forEach((k, p) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(p.pattern()));
            return sb.toString();
        }

        /** What is recorded with each file: file, line, id and pattern (at most 300 characters). */
        public String rule() {
            String r = source + " " + id + " {" + patternText() + "}";
            return r.length() <= 300 ? r : r.substring(0, 297) + "...";
        }
    }

    private static final List<String> DEVICE_KEYS;
    static {
        List<String> keys = new ArrayList<>(List.of("id"));
        keys.addAll(FIELDS.keySet());
        keys.addAll(List.of("state", "profile", "project", "pixels"));
        DEVICE_KEYS = List.copyOf(keys);
    }

    private final List<Device> devices;
    private final Path file;

    private DeviceRegistry(Path file, List<Device> devices) {
        this.file = file;
        this.devices = List.copyOf(devices);
    }

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
            String id = n.requireString("id").trim();
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) throw n.require("id").fail("device id '" + id + "' must be letters, digits, '.', '_' or '-' (at most 100)");
            if (!ids.add(id)) throw n.require("id").fail("duplicate device id '" + id + "'");
            State state;
            try {
                state = State.valueOf(n.requireString("state").trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw n.require("state").fail("state must be trusted, review or blocked");
            }
            String profile = n.string("profile", "").trim();
            if (state == State.TRUSTED && profile.isBlank()) throw n.fail("trusted device '" + id + "' needs a profile");
            if (!profile.isBlank() && knownProfiles != null) {
                // a composition "research+retain-uids" is valid when every part is a known profile
                for (String part : profile.split("\\+", -1)) {
                    if (!knownProfiles.contains(part.trim())) {
                        throw n.require("profile").fail("unknown profile '" + part.trim() + "'" + (part.equals(profile) ? "" : " in '" + profile + "'")
                                + " (known: " + String.join(", ", knownProfiles) + "; compose with '+', e.g. research+retain-uids)");
                    }
                }
            }
            String pixels = n.string("pixels", "").trim();
            if (!pixels.isEmpty() && !pixels.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
                throw n.require("pixels").fail("pixel rule id '" + pixels + "' must be letters, digits, '.', '_' or '-'");
            }
            Map<String, Pattern> patterns = new LinkedHashMap<>();
            for (String field : FIELDS.keySet()) pattern(n, field).ifPresent(p -> patterns.put(field, p));
            out.add(new Device(id, patterns, state, profile, n.string("project", "").trim(), pixels, file.getFileName() + ":" + n.line()));
        }
        return new DeviceRegistry(file, out);
    }

    private static Optional<Pattern> pattern(YamlNode device, String key) {
        Optional<YamlNode> v = device.get(key);
        if (v.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Pattern.compile(v.get().text().trim(), Pattern.CASE_INSENSITIVE));
        } catch (PatternSyntaxException e) {
            throw v.get().fail("'" + key + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    public Optional<Device> match(DeviceSignature signature) {
        return devices.stream().filter(d -> d.matches(signature)).findFirst();
    }

    public Optional<Device> device(String id) { return devices.stream().filter(d -> d.id().equals(id)).findFirst(); }

    public List<Device> devices() { return devices; }

    public Path file() { return file; }
}

package org.haven.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Set;

import org.haven.classify.DeviceRegistry;
import org.haven.identifiers.KeyedHash;
import org.haven.store.Workspace;

/**
 * A reviewer's device decision becomes data: an entry for exactly that signature is put at the top of
 * {@code config/devices.yaml} (first match wins), with a comment saying who decided and when. The file is validated
 * before it replaces the old one; the running registry picks the change up and replays the device's held files.
 * The decision is also recorded in the store ({@link RecordedDeviceDecisions}).
 */
public final class RegistryDeviceDecisions implements DeviceDecisions {
    private final Path devicesFile;
    private final Set<String> profiles;
    private final DeviceDecisions record;

    public RegistryDeviceDecisions(Path devicesFile, Set<String> profiles, DeviceDecisions record) {
        this.devicesFile = devicesFile;
        this.profiles = profiles;
        this.record = record;
    }

    @Override
    public synchronized void decide(String deviceSignature, String deviceId, State state, String profile, String actor, String comment) throws Exception {
        String[] parts = (deviceSignature == null ? "" : deviceSignature).split("\\|", -1);
        if (parts.length < 4 || parts[0].isBlank()) {
            // files that never got a signature (unreadable, no modality): nothing to match on; the decision is recorded
            record.decide(deviceSignature, deviceId, state, profile, actor, comment);
            return;
        }
        if (state == State.TRUSTED && (profile == null || profile.isBlank())) throw new IllegalArgumentException("trusting a device needs a profile");
        String hash = HexFormat.of().formatHex(KeyedHash.hmac(new byte[] {1}, deviceSignature), 0, 4);
        String base = "review-" + slug(parts[0] + "-" + parts[1] + "-" + parts[2]) + "-" + hash + "-" + state.name().toLowerCase();
        String existing = Files.readString(devicesFile, StandardCharsets.UTF_8);
        String id = base;
        for (int n = 2; existing.contains("- id: " + id + "\n"); n++) id = base + "-" + n; // decided again: a new entry on top
        String device = (parts[1].isBlank() ? "(no manufacturer)" : parts[1]) + " / " + (parts[2].isBlank() ? "(no model)" : parts[2])
            + " (" + parts[0] + (parts[3].isBlank() ? "" : ", software " + parts[3]) + ")";
        StringBuilder entry = new StringBuilder()
            .append("  # ").append(oneLine(device, 200)).append(": ").append(state.name().toLowerCase())
            .append(state == State.TRUSTED ? " with profile " + profile : "")
            .append(" by ").append(oneLine(actor, 100)).append(" in the review UI on ").append(LocalDate.now()).append('\n')
            .append("  # why: ").append(oneLine(comment, 300)).append('\n')
            .append("  - id: ").append(id).append('\n')
            .append("    modality: ").append(exact(parts[0])).append('\n')
            .append("    manufacturer: ").append(exact(parts[1])).append('\n')
            .append("    model: ").append(exact(parts[2])).append('\n')
            .append("    software: ").append(exact(parts[3])).append('\n')
            .append("    state: ").append(state.name().toLowerCase()).append('\n');
        if (state == State.TRUSTED) entry.append("    profile: ").append(profile).append('\n');

        String text = Files.readString(devicesFile, StandardCharsets.UTF_8);
        int at = text.indexOf("\ndevices:");
        if (at < 0 && !text.startsWith("devices:")) throw new IllegalStateException(devicesFile + " has no top-level 'devices:' list");
        int lineEnd = text.indexOf('\n', at < 0 ? 0 : at + 1);
        String updated = text.substring(0, lineEnd + 1) + entry + "\n" + text.substring(lineEnd + 1);

        Path candidate = Workspace.temporaryFor(devicesFile);
        try {
            Files.writeString(candidate, updated, StandardCharsets.UTF_8);
            DeviceRegistry.load(candidate, profiles); // refuses anything the registry would refuse, with file:line
            record.decide(deviceSignature, deviceId, state, profile, actor, comment);
            Workspace.moveInto(candidate, devicesFile);
        } finally {
            Files.deleteIfExists(candidate);
        }
    }

    /** A whole-value pattern for one literal value, single-quoted for YAML. */
    static String exact(String value) {
        String regex = value.replaceAll("([\\\\^$.|?*+()\\[\\]{}])", "\\\\$1");
        return "'" + regex.replace("'", "''") + "'";
    }

    /** Lower-case letters, digits and dashes, at most 40 characters (a readable registry id). */
    static String slug(String s) {
        String t = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return t.length() > 40 ? t.substring(0, 40).replaceAll("-+$", "") : t;
    }

    /** A YAML comment's text: one line, printable, bounded. */
    static String oneLine(String s, int max) {
        String t = (s == null ? "" : s).replaceAll("[\\p{Cntrl}]+", " ").strip();
        return t.length() > max ? t.substring(0, max) + "..." : t;
    }
}

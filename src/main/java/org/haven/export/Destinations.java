package org.haven.export;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.haven.config.YamlNode;

/** Loads and validates {@code config/destinations.yaml}; every error names the file, line and problem. */
public final class Destinations {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern AE_TITLE = Pattern.compile("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");

    private Destinations() {}

    /** No file means no destinations (nothing is exported). */
    public static List<Destination> load(Path file, String defaultCallingAe) {
        if (!Files.isRegularFile(file)) return List.of();
        YamlNode root = YamlNode.load(file);
        root.allowOnly(List.of("destinations"));
        if (root.get("destinations").isEmpty()) return List.of();
        YamlNode listNode = root.require("destinations");
        if (listNode.isScalar() && listNode.text().isEmpty()) return List.of();
        List<Destination> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode d : listNode.list()) {
            d.allowOnly(List.of("id", "type", "host", "port", "called-ae-title", "calling-ae-title", "url", "authorization-env", "projects", "retry"));
            String id = d.requireString("id").trim();
            if (!ID.matcher(id).matches()) throw d.require("id").fail("destination id '" + id + "' must be letters, digits, '.', '_' or '-'");
            if (!ids.add(id)) throw d.require("id").fail("destination id '" + id + "' is used twice");
            String typeText = d.requireString("type").trim().toLowerCase(Locale.ROOT);
            Destination.Type type = switch (typeText) {
                case "dicom" -> Destination.Type.DICOM;
                case "stow-rs" -> Destination.Type.STOW_RS;
                default -> throw d.require("type").fail("type must be dicom (C-STORE) or stow-rs (DICOMweb), not '" + typeText + "'");
            };
            List<String> projects = d.get("projects").map(YamlNode::strings).orElse(List.of());
            Destination.Retry retry = retry(d);
            String where = file + ":" + d.line();
            if (type == Destination.Type.DICOM) {
                for (String k : List.of("url", "authorization-env")) {
                    if (d.get(k).isPresent()) throw d.fail("'" + k + "' is for stow-rs destinations");
                }
                String host = d.requireString("host").trim();
                int port = d.integer("port", -1);
                if (port < 1 || port > 65535) throw d.fail("a dicom destination needs 'port' between 1 and 65535");
                String called = aeTitle(d, "called-ae-title", null);
                String calling = aeTitle(d, "calling-ae-title", defaultCallingAe);
                out.add(new Destination(id, type, host, port, called, calling, null, null, List.copyOf(projects), retry, where));
            } else {
                for (String k : List.of("host", "port", "called-ae-title", "calling-ae-title")) {
                    if (d.get(k).isPresent()) throw d.fail("'" + k + "' is for dicom destinations; a stow-rs destination has a 'url'");
                }
                String urlText = d.requireString("url").trim();
                URI url;
                try {
                    url = URI.create(urlText.endsWith("/") ? urlText.substring(0, urlText.length() - 1) : urlText);
                } catch (IllegalArgumentException e) {
                    throw d.require("url").fail("not a URL: " + e.getMessage());
                }
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) throw d.require("url").fail("url must start with http:// or https://");
                String auth = d.string("authorization-env", "").trim();
                out.add(new Destination(id, type, null, 0, null, null, url, auth.isEmpty() ? null : auth, List.copyOf(projects), retry, where));
            }
        }
        return List.copyOf(out);
    }

    private static String aeTitle(YamlNode d, String key, String fallback) {
        String v = fallback == null ? d.requireString(key).trim() : d.string(key, fallback).trim();
        if (!AE_TITLE.matcher(v).matches()) throw (d.get(key).isPresent() ? d.require(key) : d).fail("'" + v + "' is not a valid AE title (1 to 16 characters)");
        return v;
    }

    private static Destination.Retry retry(YamlNode d) {
        if (d.get("retry").isEmpty()) return Destination.Retry.DEFAULT;
        YamlNode r = d.require("retry").allowOnly(List.of("initial-seconds", "max-seconds", "max-attempts"));
        int initial = r.integer("initial-seconds", (int) Destination.Retry.DEFAULT.initial().toSeconds());
        int max = r.integer("max-seconds", (int) Destination.Retry.DEFAULT.max().toSeconds());
        int attempts = r.integer("max-attempts", Destination.Retry.DEFAULT.maxAttempts());
        if (initial < 1 || max < initial || attempts < 1) throw r.fail("retry needs 1 <= initial-seconds <= max-seconds and max-attempts >= 1");
        return new Destination.Retry(Duration.ofSeconds(initial), Duration.ofSeconds(max), attempts);
    }
}

package org.haven.classify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;

/**
 * {@code config/manufacturers.yaml}: the maintained table that maps the spellings devices write into Manufacturer
 * and ManufacturerModelName to one normalised name each ("SIEMENS ", "Siemens Healthineers" → "Siemens"). Exact
 * spellings compare case-insensitively with whitespace collapsed; patterns are tried after them, in file order. A
 * value nothing maps is kept as received (trimmed, spaces collapsed).
 */
public final class Manufacturers {
    private record Entry(String name, String manufacturer, Pattern pattern) {}

    private final Map<String, String> manufacturerSpellings;
    private final List<Entry> manufacturerPatterns;
    /** key: normalised manufacturer (lower case, "" = any) + '\n' + folded spelling. */
    private final Map<String, String> modelSpellings;
    private final List<Entry> modelPatterns;

    private Manufacturers(Map<String, String> ms, List<Entry> mp, Map<String, String> mods, List<Entry> modp) {
        this.manufacturerSpellings = Map.copyOf(ms);
        this.manufacturerPatterns = List.copyOf(mp);
        this.modelSpellings = Map.copyOf(mods);
        this.modelPatterns = List.copyOf(modp);
    }

    /** No normalisation at all: every value as received. */
    public static Manufacturers none() { return new Manufacturers(Map.of(), List.of(), Map.of(), List.of()); }

    /** Loads and validates the table; a missing file is no normalisation. Problems name the file and line. */
    public static Manufacturers load(Path file) {
        if (!Files.exists(file)) return none();
        YamlNode root = YamlNode.load(file);
        root.allowOnly(List.of("manufacturers", "models"));
        Map<String, String> ms = new HashMap<>();
        List<Entry> mp = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Optional<YamlNode> mans = root.get("manufacturers");
        if (mans.isPresent()) {
            for (YamlNode n : mans.get().list()) {
                n.allowOnly(List.of("name", "spellings", "pattern"));
                String name = DeviceSignature.clean(n.requireString("name"));
                if (names.stream().anyMatch(x -> x.equalsIgnoreCase(name))) throw n.require("name").fail("manufacturer '" + name + "' is listed twice");
                names.add(name);
                readSpellings(n, name, "", ms, "manufacturer");
                readPattern(n, name, null).ifPresent(mp::add);
            }
        }
        Map<String, String> mods = new HashMap<>();
        List<Entry> modp = new ArrayList<>();
        Optional<YamlNode> models = root.get("models");
        if (models.isPresent()) {
            for (YamlNode n : models.get().list()) {
                n.allowOnly(List.of("manufacturer", "name", "spellings", "pattern"));
                String name = DeviceSignature.clean(n.requireString("name"));
                String maker = DeviceSignature.clean(n.string("manufacturer", ""));
                if (!maker.isEmpty() && names.stream().noneMatch(x -> x.equals(maker))) {
                    throw n.require("manufacturer").fail("model '" + name + "' names manufacturer '" + maker
                        + "', which is not a normalised name in 'manufacturers' (" + String.join(", ", names) + ")");
                }
                readSpellings(n, name, fold(maker) + "\n", mods, "model");
                readPattern(n, name, maker).ifPresent(modp::add);
            }
        }
        return new Manufacturers(ms, mp, mods, modp);
    }

    private static void readSpellings(YamlNode n, String name, String prefix, Map<String, String> into, String what) {
        Optional<YamlNode> sp = n.get("spellings");
        if (sp.isEmpty()) {
            if (n.get("pattern").isEmpty()) throw n.fail(what + " '" + name + "' needs 'spellings' or 'pattern'");
            // the normalised name always maps to itself
            into.putIfAbsent(prefix + fold(name), name);
            return;
        }
        List<YamlNode> items = sp.get().isScalar() ? List.of(sp.get()) : sp.get().list();
        into.putIfAbsent(prefix + fold(name), name);
        for (YamlNode s : items) {
            String spelling = fold(s.text());
            if (spelling.isEmpty()) throw s.fail("empty spelling for " + what + " '" + name + "'");
            String before = into.put(prefix + spelling, name);
            if (before != null && !before.equals(name)) {
                throw s.fail("spelling '" + s.text().trim() + "' already maps to " + what + " '" + before + "'");
            }
        }
    }

    private static Optional<Entry> readPattern(YamlNode n, String name, String maker) {
        Optional<YamlNode> p = n.get("pattern");
        if (p.isEmpty()) return Optional.empty();
        try {
            return Optional.of(new Entry(name, maker, Pattern.compile(p.get().text().trim(), Pattern.CASE_INSENSITIVE)));
        } catch (PatternSyntaxException e) {
            throw p.get().fail("'pattern' is not a valid regular expression: " + e.getDescription());
        }
    }

    /** The normalised manufacturer name for a raw value. */
    public String manufacturer(String raw) {
        String clean = DeviceSignature.clean(raw);
        if (clean.isEmpty()) return clean;
        String hit = manufacturerSpellings.get(fold(clean));
        if (hit != null) return hit;
        for (Entry e : manufacturerPatterns) if (e.pattern.matcher(clean).matches()) return e.name;
        return clean;
    }

    /** The normalised model name for a raw model value of a device whose manufacturer is already normalised. */
    public String model(String normalisedManufacturer, String raw) {
        String clean = DeviceSignature.clean(raw);
        if (clean.isEmpty()) return clean;
        String hit = modelSpellings.get(fold(normalisedManufacturer) + "\n" + fold(clean));
        if (hit == null) hit = modelSpellings.get("\n" + fold(clean));
        if (hit != null) return hit;
        for (Entry e : modelPatterns) {
            if ((e.manufacturer.isEmpty() || e.manufacturer.equalsIgnoreCase(normalisedManufacturer)) && e.pattern.matcher(clean).matches()) {
                return e.name;
            }
        }
        return clean;
    }

    static String fold(String s) { return DeviceSignature.clean(s).toLowerCase(Locale.ROOT); }
}

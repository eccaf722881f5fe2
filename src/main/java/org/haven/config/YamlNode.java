package org.haven.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node that remembers its file and line, so every validation error can say where the problem is.
 * Config readers walk these nodes and call {@link #fail} with a human sentence.
 */
public final class YamlNode {
    private final Path file;
    private final Node node;

    private YamlNode(Path file, Node node) {
        this.file = file;
        this.node = node;
    }

    /** Parses a file; an empty file is an empty mapping. Syntax errors become {@link ConfigException}s with a line. */
    public static YamlNode load(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            Node root = new Yaml(options).compose(r);
            if (root == null) {
                root = new MappingNode(org.yaml.snakeyaml.nodes.Tag.MAP, new ArrayList<>(), org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
            }
            return new YamlNode(file, root);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new ConfigException(file, line, "not valid YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ConfigException(file, 0, "not valid YAML: " + e.getMessage());
        }
    }

    public Path file() { return file; }

    /** 1-based line of this node in its file. */
    public int line() { return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1; }

    public ConfigException fail(String problem) { return new ConfigException(file, line(), problem); }

    public boolean isMap() { return node instanceof MappingNode; }

    public boolean isList() { return node instanceof SequenceNode; }

    public boolean isScalar() { return node instanceof ScalarNode; }

    /** Entries of a mapping, in file order; keys must be scalars. */
    public Map<String, YamlNode> entries() {
        if (!(node instanceof MappingNode m)) throw fail("expected a mapping (key: value)");
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) throw new YamlNode(file, t.getKeyNode()).fail("keys must be plain text");
            out.put(k.getValue(), new YamlNode(file, t.getValueNode()));
        }
        return out;
    }

    /** Line of a key inside this mapping (better than the value's line for "unknown key" errors). */
    public int keyLine(String key) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t.getKeyNode().getStartMark().getLine() + 1;
            }
        }
        return line();
    }

    /** Rejects keys other than the allowed ones, naming the first unknown key and its line. */
    public YamlNode allowOnly(Collection<String> allowed) {
        for (String k : entries().keySet()) {
            if (!allowed.contains(k)) throw new ConfigException(file, keyLine(k), "unknown key '" + k + "' (allowed: " + String.join(", ", allowed) + ")");
        }
        return this;
    }

    public Optional<YamlNode> get(String key) { return Optional.ofNullable(entries().get(key)); }

    public YamlNode require(String key) {
        YamlNode v = entries().get(key);
        if (v == null) throw fail("missing required key '" + key + "'");
        return v;
    }

    public List<YamlNode> list() {
        if (!(node instanceof SequenceNode s)) throw fail("expected a list");
        List<YamlNode> out = new ArrayList<>();
        for (Node n : s.getValue()) out.add(new YamlNode(file, n));
        return out;
    }

    /** Scalar text; fails on a mapping or list. A YAML null ("~" or empty) is "". */
    public String text() {
        if (!(node instanceof ScalarNode s)) throw fail("expected a single value");
        String v = s.getValue();
        return v == null || (s.getTag().getValue().endsWith(":null") && (v.isEmpty() || v.equals("~") || v.equals("null"))) ? "" : v;
    }

    public String string(String key, String fallback) { return get(key).map(YamlNode::text).orElse(fallback); }

    public String requireString(String key) {
        String v = require(key).text();
        if (v.isBlank()) throw require(key).fail("'" + key + "' must not be empty");
        return v;
    }

    public int integer(String key, int fallback) {
        Optional<YamlNode> n = get(key);
        if (n.isEmpty()) return fallback;
        try {
            return Integer.parseInt(n.get().text().trim());
        } catch (NumberFormatException e) {
            throw n.get().fail("'" + key + "' must be a whole number");
        }
    }

    public boolean bool(String key, boolean fallback) {
        Optional<YamlNode> n = get(key);
        if (n.isEmpty()) return fallback;
        String v = n.get().text().trim().toLowerCase();
        if (v.equals("true") || v.equals("yes")) return true;
        if (v.equals("false") || v.equals("no")) return false;
        throw n.get().fail("'" + key + "' must be true or false");
    }

    /** A scalar or a list of scalars, as a list. */
    public List<String> strings() {
        if (isScalar()) return List.of(text());
        List<String> out = new ArrayList<>();
        for (YamlNode n : list()) out.add(n.text());
        return out;
    }
}

package org.haven.deidentify;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.haven.config.YamlNode;

/**
 * Private attributes known to be safe, keyed by <b>private creator</b> + group + element offset in the block:
 * <pre>
 * "SIEMENS MR HEADER":
 *   (0019,xx0C): B_value            # free-text description
 * </pre>
 * An element is kept only if the private creator actually reserving its block in <em>this</em> file matches.
 */
public final class SafePrivateList {
    private final Map<String, Set<Integer>> safe;   // creator → (group << 8 | element offset)
    private final Path file;

    private SafePrivateList(Path file, Map<String, Set<Integer>> safe) {
        this.file = file;
        this.safe = safe;
    }

    public static SafePrivateList empty() { return new SafePrivateList(null, Map.of()); }

    public Path file() { return file; }

    public static SafePrivateList load(Path file) {
        YamlNode root = YamlNode.load(file);
        Map<String, Set<Integer>> out = new HashMap<>();
        for (Map.Entry<String, YamlNode> c : root.entries().entrySet()) {
            String creator = c.getKey().trim();
            Set<Integer> set = out.computeIfAbsent(creator, k -> new HashSet<>());
            YamlNode block = c.getValue();
            if (!block.isMap()) throw block.fail("private creator '" + creator + "': expected a mapping of (gggg,xxee): description");
            for (String t : block.entries().keySet()) {
                TagPattern p = TagPattern.parse(t);
                int group = p == null ? 0 : p.value() >>> 16;
                int elemMask = p == null ? 0 : p.mask() & 0xFFFF;
                if (p == null || (p.mask() >>> 16) != 0xFFFF || (group & 1) == 0 || elemMask != 0x00FF) {
                    throw new org.haven.config.ConfigException(file, block.keyLine(t),
                            "'" + t + "' must be a private tag with the block as xx, e.g. (0019,xx0C)");
                }
                set.add((group << 8) | (p.value() & 0xFF));
            }
        }
        return new SafePrivateList(file, out);
    }

    public boolean isSafe(String creator, int group, int element) {
        if (creator == null) return false;
        Set<Integer> s = safe.get(UidRemapper.strip(creator));
        return s != null && s.contains((group << 8) | (element & 0xFF));
    }

    public int size() { return safe.values().stream().mapToInt(Set::size).sum(); }
}

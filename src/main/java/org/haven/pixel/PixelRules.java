package org.haven.pixel;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;

/**
 * Pixel rules per device signature, from every {@code *.yaml} file in {@code config/pixels/} (files in name order,
 * rules in file order; the first matching rule wins). Everything is validated at load: a bad file throws a
 * {@link ConfigException} naming file, line and problem. See {@code config/pixels/README.md} for the format.
 */
public final class PixelRules {

    static final List<String> FILE_KEYS = List.of("rules", "ocr");
    static final List<String> RULE_KEYS = List.of("id", "description", "source", "when", "risk", "blank", "keep", "allow-text");
    static final List<String> SOURCE_KEYS = List.of("library", "file", "line", "label", "condition", "note");
    static final List<String> BOX_KEYS = List.of("x", "y", "width", "height");
    static final List<String> REGION_KEYS = List.of("x", "y", "width", "height", "frames");
    static final List<String> MATCH_KEYS = PixelConditions.MATCH_KEYS;
    static final List<String> OCR_KEYS = List.of("tessdata", "language", "min-confidence", "min-characters", "max-frames", "thresholding", "segmentation");
    static final String PRIVATE_CREATOR = "private-creator";
    static final String ULTRASOUND_REGIONS = "ultrasound-regions";

    private final List<PixelRule> rules;
    private final OcrSettings ocr;

    private PixelRules(List<PixelRule> rules, OcrSettings ocr) {
        this.rules = List.copyOf(rules);
        this.ocr = ocr;
    }

    /** No rules, default OCR settings (a missing folder means no device signatures: at-risk images are quarantined). */
    public static PixelRules empty() { return new PixelRules(List.of(), OcrSettings.defaults()); }

    /** Loads and validates {@code *.yaml} in the folder; a missing folder yields {@link #empty()}. */
    public static PixelRules load(Path pixelsConfigDir) {
        if (!Files.isDirectory(pixelsConfigDir)) return empty();
        List<Path> files;
        try (Stream<Path> s = Files.list(pixelsConfigDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(pixelsConfigDir, 0, "cannot list pixel rule files: " + e.getMessage());
        }
        List<PixelRule> rules = new ArrayList<>();
        Map<String, PixelRule> ids = new HashMap<>();
        OcrSettings ocr = null;
        Path ocrFile = null;
        for (Path file : files) {
            YamlNode root = YamlNode.load(file);
            root.allowOnly(FILE_KEYS);
            Optional<YamlNode> ocrNode = root.get("ocr");
            if (ocrNode.isPresent()) {
                if (ocr != null) throw ocrNode.get().fail("'ocr' settings already given in " + ocrFile);
                ocr = parseOcr(ocrNode.get());
                ocrFile = file;
            }
            Optional<YamlNode> list = root.get("rules");
            if (list.isEmpty()) continue;
            for (YamlNode r : list.get().list()) {
                PixelRule rule = parseRule(r);
                PixelRule before = ids.putIfAbsent(rule.id(), rule);
                if (before != null) throw r.fail("duplicate rule id '" + rule.id() + "' (first defined at " + before.where() + ")");
                rules.add(rule);
            }
        }
        return new PixelRules(rules, ocr == null ? OcrSettings.defaults() : ocr);
    }

    /** First rule whose conditions all hold, or empty. */
    public Optional<PixelRule> match(AttributeList header) {
        for (PixelRule r : rules) {
            if (r.matches(header)) return Optional.of(r);
        }
        return Optional.empty();
    }

    public List<PixelRule> rules() { return rules; }

    /** The rule with this id (the OCR stage receives the id from the pixel stage). */
    public Optional<PixelRule> byId(String id) { return rules.stream().filter(r -> r.id().equals(id)).findFirst(); }

    public OcrSettings ocr() { return ocr; }

    // ---------------------------------------------------------------------------------------------------- parsing

    private static OcrSettings parseOcr(YamlNode n) {
        n.allowOnly(OCR_KEYS);
        OcrSettings d = OcrSettings.defaults();
        Path tessdata = Path.of(n.string("tessdata", d.tessdata().toString()));
        String language = n.string("language", d.language());
        if (!language.matches("[A-Za-z0-9_+]+")) throw n.require("language").fail("'language' must be a Tesseract language code such as eng");
        float minConf = d.minConfidence();
        if (n.get("min-confidence").isPresent()) {
            YamlNode c = n.require("min-confidence");
            try {
                minConf = Float.parseFloat(c.text().trim());
            } catch (NumberFormatException e) {
                throw c.fail("'min-confidence' must be a number from 0 to 100");
            }
            if (minConf < 0 || minConf > 100) throw c.fail("'min-confidence' must be a number from 0 to 100");
        }
        int minChars = n.integer("min-characters", d.minCharacters());
        if (minChars < 1) throw n.require("min-characters").fail("'min-characters' must be at least 1");
        int maxFrames = n.integer("max-frames", d.maxFrames());
        if (maxFrames < 1) throw n.require("max-frames").fail("'max-frames' must be at least 1");
        List<String> thresholding = d.thresholding();
        if (n.get("thresholding").isPresent()) {
            YamlNode t = n.require("thresholding");
            thresholding = t.strings().stream().map(String::trim).toList();
            for (String m : thresholding) {
                if (!OcrSettings.THRESHOLDING.containsKey(m)) {
                    throw t.fail("'thresholding' entries must be among " + String.join(", ", new java.util.TreeSet<>(OcrSettings.THRESHOLDING.keySet())));
                }
            }
            if (thresholding.isEmpty()) throw t.fail("'thresholding' needs at least one method");
        }
        return new OcrSettings(tessdata, language, minConf, minChars, maxFrames, thresholding,
            names(n, "segmentation", d.segmentation(), OcrSettings.SEGMENTATION.keySet()));
    }

    private static List<String> names(YamlNode n, String key, List<String> dflt, java.util.Set<String> known) {
        if (n.get(key).isEmpty()) return dflt;
        YamlNode t = n.require(key);
        List<String> out = t.strings().stream().map(String::trim).toList();
        for (String m : out) {
            if (!known.contains(m)) throw t.fail("'" + key + "' entries must be among " + String.join(", ", new java.util.TreeSet<>(known)));
        }
        if (out.isEmpty()) throw t.fail("'" + key + "' needs at least one entry");
        return out;
    }

    private static PixelRule parseRule(YamlNode r) {
        r.allowOnly(RULE_KEYS);
        String id = r.requireString("id").trim();
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw r.require("id").fail("rule id '" + id + "' may use letters, digits, '.', '_' and '-' only");

        YamlNode when = r.require("when");
        List<PixelRule.Condition> conditions = PixelConditions.parse(when, id);
        // Rows/Columns given at the top of 'when' bound the rectangles below (checked at load).
        Integer rows = dimension(when, "Rows"), columns = dimension(when, "Columns");
        if (r.get("source").isPresent()) r.require("source").allowOnly(SOURCE_KEYS);

        String risk = r.string("risk", "normal").trim().toLowerCase(Locale.ROOT);
        if (!risk.equals("normal") && !risk.equals("high")) throw r.require("risk").fail("'risk' must be high or normal");

        boolean keepUs = false;
        if (r.get("keep").isPresent()) {
            String keep = r.require("keep").text().trim();
            if (!keep.equals(ULTRASOUND_REGIONS)) throw r.require("keep").fail("'keep' must be " + ULTRASOUND_REGIONS);
            keepUs = true;
        }
        if (r.get("blank").isEmpty() && !keepUs) {
            throw r.fail("rule '" + id + "' needs 'blank' (rectangles; [] when the device burns in nothing) or 'keep: " + ULTRASOUND_REGIONS + "'");
        }
        List<PixelRule.Region> blank = new ArrayList<>();
        if (r.get("blank").isPresent()) {
            for (YamlNode b : r.require("blank").list()) {
                b.allowOnly(REGION_KEYS);
                Box box = box(b, rows, columns);
                Set<Integer> frames = new LinkedHashSet<>();
                if (b.get("frames").isPresent()) {
                    YamlNode f = b.require("frames");
                    if (!(f.isScalar() && f.text().trim().equals("all"))) {
                        if (!f.isList()) throw f.fail("'frames' must be all or a list of frame numbers (1 = first)");
                        for (YamlNode fn : f.list()) {
                            int n;
                            try {
                                n = Integer.parseInt(fn.text().trim());
                            } catch (NumberFormatException ex) {
                                throw fn.fail("frame numbers are whole numbers starting at 1");
                            }
                            if (n < 1) throw fn.fail("frame numbers start at 1");
                            frames.add(n);
                        }
                    }
                }
                blank.add(new PixelRule.Region(box, frames));
            }
        }

        List<Box> allow = new ArrayList<>();
        boolean allowUs = false;
        if (r.get("allow-text").isPresent()) {
            YamlNode a = r.require("allow-text");
            List<YamlNode> items = a.isList() ? a.list() : List.of(a);
            for (YamlNode item : items) {
                if (item.isScalar()) {
                    if (!item.text().trim().equals(ULTRASOUND_REGIONS)) throw item.fail("'allow-text' entries are rectangles or " + ULTRASOUND_REGIONS);
                    allowUs = true;
                } else {
                    item.allowOnly(BOX_KEYS);
                    allow.add(box(item, rows, columns));
                }
            }
        }
        return new PixelRule(id, r.file(), r.line(), conditions, blank, keepUs, allow, allowUs, risk.equals("high"));
    }

    private static Integer dimension(YamlNode when, String key) {
        Optional<YamlNode> v = when.get(key);
        if (v.isEmpty() || !v.get().isScalar()) return null;
        try {
            return Integer.parseInt(v.get().text().trim());
        } catch (NumberFormatException ex) {
            throw v.get().fail("'" + key + "' must be a whole number");
        }
    }

    private static Box box(YamlNode b, Integer rows, Integer columns) {
        for (String k : BOX_KEYS) b.require(k);
        int x = b.integer("x", 0), y = b.integer("y", 0), w = b.integer("width", 0), h = b.integer("height", 0);
        if (x < 0 || y < 0) throw b.fail("bad rectangle: x and y must be 0 or more (pixel coordinates from the top-left corner)");
        if (w <= 0 || h <= 0) throw b.fail("bad rectangle: width and height must be more than 0");
        if (columns != null && x + w > columns) throw b.fail("bad rectangle: x + width = " + (x + w) + " exceeds Columns " + columns + " of this rule");
        if (rows != null && y + h > rows) throw b.fail("bad rectangle: y + height = " + (y + h) + " exceeds Rows " + rows + " of this rule");
        return new Box(x, y, w, h);
    }

    // -------------------------------------------------------------------------------------------------- conditions

    static PixelRule.Condition attributeCondition(String keyword, AttributeTag tag, YamlNode v) {
        if (v.isList()) {
            List<String> any = new ArrayList<>();
            for (YamlNode item : v.list()) any.add(item.text().trim());
            if (any.isEmpty()) throw v.fail("'" + keyword + "': empty list matches nothing");
            return PixelConditions.cond(keyword + " in " + any, h -> any.stream().anyMatch(a -> same(joined(h, tag), a)));
        }
        if (v.isScalar()) {
            String want = v.text().trim();
            return PixelConditions.cond(keyword + " = " + want, h -> same(joined(h, tag), want));
        }
        v.allowOnly(MATCH_KEYS);
        if (v.entries().size() != 1) throw v.fail("'" + keyword + "': give exactly one of " + String.join(", ", MATCH_KEYS));
        Map.Entry<String, YamlNode> e = v.entries().entrySet().iterator().next();
        String op = e.getKey();
        String arg = e.getValue().text().trim();
        switch (op) {
            case "equals":
                return PixelConditions.cond(keyword + " = " + arg, h -> same(joined(h, tag), arg));
            case "regex": {
                Pattern p = pattern(e.getValue(), arg);
                return PixelConditions.cond(keyword + " ~ /" + arg + "/", h -> p.matcher(joined(h, tag)).matches());
            }
            case "contains":
                return PixelConditions.cond(keyword + " contains " + arg, h -> values(h, tag).stream().anyMatch(x -> same(x, arg)));
            case "includes", "starts-with", "ends-with", "search":
                return PixelConditions.substring(keyword, tag, op, e.getValue());
            default: { // present
                boolean want = switch (arg.toLowerCase(Locale.ROOT)) {
                    case "true", "yes" -> true;
                    case "false", "no" -> false;
                    default -> throw e.getValue().fail("'present' must be true or false");
                };
                return PixelConditions.cond(keyword + (want ? " present" : " absent"), h -> present(h, tag) == want);
            }
        }
    }

    static PixelRule.Condition privateCreator(YamlNode v) {
        if (v.isMap()) {
            v.allowOnly(List.of("regex"));
            String arg = v.requireString("regex").trim();
            Pattern p = pattern(v.require("regex"), arg);
            return PixelConditions.cond(PRIVATE_CREATOR + " ~ /" + arg + "/", h -> privateCreators(h).stream().anyMatch(c -> p.matcher(c).matches()));
        }
        List<String> names = v.strings().stream().map(String::trim).toList();
        if (names.isEmpty() || names.stream().anyMatch(String::isEmpty)) throw v.fail("'" + PRIVATE_CREATOR + "' needs a creator name");
        return PixelConditions.cond(PRIVATE_CREATOR + " in " + names, h -> privateCreators(h).stream().anyMatch(c -> names.stream().anyMatch(n -> n.equalsIgnoreCase(c))));
    }

    static Pattern pattern(YamlNode where, String regex) {
        try {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException ex) {
            throw where.fail("bad regular expression: " + ex.getDescription());
        }
    }

    /** Case-insensitive, trimmed; numerically equal numbers ("1.0" = "1") are the same. */
    static boolean same(String have, String want) {
        String a = have.trim(), b = want.trim();
        if (a.equalsIgnoreCase(b)) return true;
        if (a.isEmpty() || b.isEmpty()) return false;
        if (plainNumber(a) && plainNumber(b)) {
            try {
                return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * A signed decimal, optionally with an exponent ("512", "-1.50", "1.5E+2"), as BigDecimal takes it. Checked first
     * because BigDecimal's answer to anything else ("1.2.840...", "512\\512") is an exception, thrown for every file.
     */
    private static boolean plainNumber(String s) {
        int i = sign(s, 0);
        int digits = 0;
        boolean point = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digits++;
            else if (c == '.' && !point) point = true;
            else break;
        }
        if (digits == 0) return false;
        if (i == s.length()) return true;
        if (s.charAt(i) != 'e' && s.charAt(i) != 'E') return false;
        i = sign(s, i + 1);
        if (i == s.length()) return false;
        for (; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static int sign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+') ? i + 1 : i;
    }

    /** Present with a value: a sequence with at least one item, or a non-empty value. */
    static boolean present(AttributeList h, AttributeTag tag) {
        Attribute a = h.get(tag);
        if (a instanceof com.pixelmed.dicom.SequenceAttribute s) return s.getNumberOfItems() > 0;
        return !joined(h, tag).isEmpty();
    }

    /** Values trimmed and joined with a backslash, as written in DICOM ("ORIGINAL\PRIMARY"); "" when absent. */
    static String joined(AttributeList h, AttributeTag tag) { return String.join("\\", values(h, tag)); }

    static List<String> values(AttributeList h, AttributeTag tag) {
        Attribute a = h.get(tag);
        if (a == null) return List.of();
        try {
            String[] v = a.getStringValues();
            if (v == null) return List.of();
            List<String> out = new ArrayList<>(v.length);
            for (String s : v) out.add(s == null ? "" : s.trim());
            return out;
        } catch (DicomException e) {
            // fail closed: an unreadable value is not "no match" (a rule condition such as "absent" would then pass)
            throw new UnreadableAttributeException(tag, e);
        }
    }

    /** Values of private creator elements (gggg,0010–00FF in odd groups), trimmed. */
    static List<String> privateCreators(AttributeList h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.values()) {
            Attribute a = (Attribute) o;
            AttributeTag t = a.getTag();
            if (t.isPrivateCreator()) {
                String v = a.getSingleStringValueOrEmptyString();
                if (!v.isBlank()) out.add(v.trim());
            }
        }
        return out;
    }
}

package org.haven.web;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.pixel.Box;
import org.haven.pixel.PixelPolicy;
import org.haven.pixel.PixelRedactor;
import org.haven.pixel.PixelRule;
import org.haven.pixel.PixelRules;

/**
 * The pixel workspace of one held image: every frame before and after blanking with the pixel rule the device gets
 * now (rules in force, plus boxes drawn for this file), the blanked regions and the words OCR read, and the three
 * ways out for a file held for its pixels: a box for the device (a rule in config/pixels/), a region where text is
 * allowed for the device, or a box for this file only (carried with the re-submitted file, see PixelStage).
 */
final class PixelWorkspace {
    private final Review review;
    private final java.util.function.Supplier<PixelRules> rules;

    PixelWorkspace(Review review, java.util.function.Supplier<PixelRules> rules) {
        this.review = review;
        this.rules = rules;
    }

    /** Header facts of a held file: frames, size, device values as in the header, the rule that applies now. */
    Map<String, Object> info(Review.FileRow f) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fileId", f.fileId());
        out.put("reason", f.reason());
        out.put("detail", f.detail() == null ? "" : f.detail());
        AttributeList h;
        try {
            h = header(f);
        } catch (WebException e) {
            out.put("hasPixels", false);
            out.put("note", "the held file cannot be read as DICOM: there are no frames to show");
            return out;
        }
        out.put("frames", Math.max(1, Attribute.getSingleIntegerValueOrDefault(h, TagFromName.NumberOfFrames, 1)));
        out.put("rows", Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Rows, 0));
        out.put("columns", Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Columns, 0));
        out.put("hasPixels", h.get(TagFromName.PixelData) != null);
        Optional<PixelRule> rule = rule(h);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", rule.map(PixelRule::id).orElse(""));
        r.put("where", rule.map(PixelRule::where).orElse("no pixel rule matches this device"));
        List<Map<String, Object>> blanked = new ArrayList<>();
        List<Map<String, Object>> allowed = new ArrayList<>();
        if (rule.isPresent()) {
            for (PixelRule.Region g : rule.get().blank()) {
                Map<String, Object> b = box(g.box());
                b.put("frames", g.frames().stream().sorted().toList());
                blanked.add(b);
            }
            for (Box b : rule.get().allowText()) allowed.add(box(b));
            List<Box> regions = PixelRedactor.ultrasoundRegions(h);
            if (rule.get().allowTextInUltrasoundRegions()) for (Box b : regions) allowed.add(box(b));
            r.put("keepUltrasoundRegions", rule.get().keepUltrasoundRegions());
            r.put("ultrasoundRegions", regions.stream().map(PixelWorkspace::box).toList());
        }
        r.put("blank", blanked);
        r.put("allowText", allowed);
        out.put("rule", r);
        List<Map<String, Object>> words = new ArrayList<>();
        for (JsonNode fd : Review.findings(review.sidecar(f))) {
            if (!fd.has("box")) continue;
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("text", fd.path("matchedText").asText(""));
            w.put("frame", frameOf(fd.path("attributePath").asText("")));
            w.put("box", Map.of("x", fd.path("box").path("x").asInt(), "y", fd.path("box").path("y").asInt(),
                "width", fd.path("box").path("width").asInt(), "height", fd.path("box").path("height").asInt()));
            words.add(w);
        }
        out.put("ocrWords", words);
        return out;
    }

    /** Frame {@code index} (0-based) as it is held ({@code deidentified} false) or after blanking with the rule in force. */
    byte[] frame(Review.FileRow f, int index, boolean deidentified) throws Exception {
        AttributeList list = new AttributeList();
        list.read(review.quarantined(f).toString()); // decompressed: the redactor then treats it as uncompressed
        int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        if (index < 0 || index >= frames) throw new WebException(404, "no such frame");
        if (deidentified) {
            Optional<PixelRule> rule = rule(list);
            if (rule.isPresent()) new PixelRedactor().redact(list, rule.get());
        }
        BufferedImage img = Preview.frame(list, index);
        return Preview.png(img);
    }

    /** The rule the pipeline would apply to this header now (first match in config/pixels/), if any. */
    Optional<PixelRule> rule(AttributeList header) {
        return new PixelPolicy(rules).decide(header).rule();
    }

    /** {@code when} for a device rule: the header's own values (the rule compares them case-insensitively). */
    static Map<String, String> deviceWhen(AttributeList h) {
        Map<String, String> when = new LinkedHashMap<>();
        when.put("Modality", Attribute.getSingleStringValueOrEmptyString(h, TagFromName.Modality).trim());
        String maker = Attribute.getSingleStringValueOrEmptyString(h, TagFromName.Manufacturer).trim();
        String model = Attribute.getSingleStringValueOrEmptyString(h, TagFromName.ManufacturerModelName).trim();
        if (!maker.isEmpty()) when.put("Manufacturer", maker);
        if (!model.isEmpty()) when.put("ManufacturerModelName", model);
        if (when.get("Modality").isEmpty()) throw new WebException(400, "the file has no Modality: a device rule cannot name it");
        return when;
    }

    AttributeList header(Review.FileRow f) throws Exception {
        Path p = review.quarantined(f);
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try {
            list.read(p.toString());
        } catch (Exception e) {
            throw new WebException(409, "the held file cannot be read as DICOM (" + f.reason() + ")");
        }
        return list;
    }

    /**
     * The rule's regions clipped to a columns × rows image, for a device rule that extends it: a shipped rule may
     * reach past the image on purpose (a banner 8192 wide "clipped to the image width"), which a rule bound to Rows
     * and Columns may not. A region wholly outside the image blanks nothing there and is dropped.
     */
    static List<PixelRule.Region> clipped(List<PixelRule.Region> regions, int columns, int rows) {
        List<PixelRule.Region> out = new ArrayList<>();
        for (PixelRule.Region r : regions) {
            Box b = r.box().clip(columns, rows);
            if (b != null) out.add(new PixelRule.Region(b, r.frames()));
        }
        return out;
    }

    static int frameOf(String attributePath) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("frame=(\\d+)").matcher(attributePath);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static Map<String, Object> box(Box b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", b.x());
        m.put("y", b.y());
        m.put("width", b.width());
        m.put("height", b.height());
        return m;
    }
}

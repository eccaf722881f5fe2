package org.haven.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.pixel.Box;
import org.haven.pixel.OcrVerdict;
import org.haven.pixel.PixelPolicy;
import org.haven.pixel.PixelRule;
import org.haven.pixel.proposal.HeldImage;
import org.haven.pixel.proposal.Proposal;
import org.haven.pixel.proposal.ProposalSettings;
import org.haven.pixel.proposal.TextBands;
import org.haven.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule proposals in the review app: for a device with files held as {@code pixel-text}, one proposal per image size
 * ({@link TextBands}) with sample images, and its acceptance, which writes a device rule through {@link RuleFiles}
 * (the rule in force for those files plus the proposed boxes, {@code risk: high} so OCR checks the result), reloads the
 * pixel rules and re-checks the device's held files.
 * <ul>
 *   <li>{@code GET /api/proposals?device=SIGNATURE}</li>
 *   <li>{@code POST /api/proposals/accept} {@code {device, rows, columns, boxes, comment}} (admin): the boxes are those
 *       the reviewer saw; if the proposal has changed since (new held files), nothing is written (409).</li>
 * </ul>
 */
final class Proposals {
    private static final Logger LOG = LoggerFactory.getLogger(Proposals.class);
    static final int SAMPLES = 4;

    private final Store store;
    private final Review review;
    private final RuleFiles rules;
    private final LiveRules live;
    private final Rechecks rechecks;
    private final ProposalSettings settings;

    Proposals(Store store, Review review, RuleFiles rules, LiveRules live, Rechecks rechecks, ProposalSettings settings) {
        this.store = store;
        this.review = review;
        this.rules = rules;
        this.live = live;
        this.rechecks = rechecks;
        this.settings = settings;
    }

    /** One held image with what the proposal needs from it: header (up to the pixels), rule in force, word boxes. */
    private record Held(Review.FileRow file, AttributeList header, String ruleId, boolean namedByRegistry, HeldImage image, int frame) {}

    /** The proposal of one image size: the held files it was made from and the rule they are under now. */
    private record Group(TextBands.Geometry geometry, List<Held> files, Proposal proposal, Set<String> ruleIds) {

        boolean namedByRegistry() { return files.stream().anyMatch(Held::namedByRegistry); }

        /** Why a proposal cannot become a rule as it is, or "" when it can. */
        String obstacle() {
            if (proposal.empty()) return "no band is seen in enough files to propose (see the bands below)";
            if (ruleIds.size() > 1) {
                return "these files are under different pixel rules now (" + String.join(", ", ruleIds) + "): a proposal cannot extend them all;"
                    + " draw boxes in the pixel workspace instead";
            }
            if (namedByRegistry()) {
                return "the device registry names pixel rule " + ruleIds.iterator().next() + " for this device (pixels: in devices.yaml), which"
                    + " wins over config/pixels: add the boxes to that rule, or remove it from the registry entry, instead";
            }
            return "";
        }
    }

    Map<String, Object> forDevice(String signature) throws Exception {
        List<Group> groups = groups(signature);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", signature);
        out.put("held", groups.stream().mapToInt(g -> g.files().size()).sum());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Group g : groups) list.add(json(g));
        out.put("proposals", list);
        out.put("settings", settings);
        return out;
    }

    Map<String, Object> accept(JsonNode b, Sessions.Session s) throws Exception {
        if (!s.isAdmin()) throw new WebException(403, "admin role required");
        String comment = Review.requireComment(b.path("comment").asText(null));
        String signature = b.path("device").asText("");
        TextBands.Geometry geometry = new TextBands.Geometry(b.path("rows").asInt(0), b.path("columns").asInt(0));
        Group g = groups(signature).stream().filter(x -> x.geometry().equals(geometry)).findFirst()
            .orElseThrow(() -> new WebException(409, "no file of this device and size is held for pixel text any more"));
        List<Box> seen = new ArrayList<>();
        for (JsonNode n : b.path("boxes")) seen.add(new Box(n.path("x").asInt(), n.path("y").asInt(), Math.max(1, n.path("width").asInt(1)), Math.max(1, n.path("height").asInt(1))));
        Proposal p = g.proposal();
        if (!p.empty() && !seen.equals(p.boxes())) throw new WebException(409, "the proposal has changed since you opened it (held files came or went): look at it again");
        if (!g.obstacle().isEmpty()) throw new WebException(409, g.obstacle());
        Held first = g.files().get(0);
        Optional<PixelRule> base = live.pixels().get().byId(first.ruleId());
        List<PixelRule.Region> blank = new ArrayList<>(PixelWorkspace.clipped(base.map(PixelRule::blank).orElse(List.of()), geometry.columns(), geometry.rows()));
        for (Box x : p.boxes()) blank.add(new PixelRule.Region(x, Set.of()));
        Map<String, String> when = PixelWorkspace.deviceWhen(first.header());
        String id = ReviewActions.nextId("proposal-" + when.get("Modality").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", ""), rules.pixelFile());
        String size = geometry.columns() + "x" + geometry.rows();
        String description = "blank text bands for " + String.join(" ", when.values()) + " " + size + base.map(r -> ", extending " + r.id()).orElse("")
            + "; by " + s.user() + ": " + comment;
        String source = "proposed from " + p.files() + " held files on " + LocalDate.now(ZoneOffset.UTC) + ", accepted by " + s.user();
        rules.addPixelRule(id, description, when, geometry.rows(), geometry.columns(), blank, base.map(PixelRule::keepUltrasoundRegions).orElse(false),
            allowed(base, geometry), base.map(PixelRule::allowTextInUltrasoundRegions).orElse(false), true, source);
        live.pixels().reloadNow();
        review.recordDecision(null, "pixel-proposal", id + " for " + signature + " " + size + ": " + boxes(p.boxes()) + "; " + source, comment, s.user());
        LOG.info("review: {} accepted a pixel rule proposal as {}", s.user(), id);
        // the files the proposal was made from first, then the device's other pixel-held files (other sizes stay as they were)
        List<String> concerned = new ArrayList<>();
        for (Held h : g.files()) concerned.add(h.file().fileId());
        Review.FileRow f = first.file();
        for (String other : rechecks.pixelHeldOfDevice(f.modality(), f.manufacturer(), f.model())) if (!concerned.contains(other)) concerned.add(other);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("file", rules.pixelFile().toString());
        out.put("source", source);
        out.put("wouldRelease", p.releasable().size());
        out.put("rechecked", rechecks.recheck(concerned, "pixel rule " + id + " (accepted proposal)", s.user()));
        return out;
    }

    private List<Group> groups(String signature) throws Exception {
        if (signature == null || signature.isBlank() || signature.startsWith("(")) throw new WebException(400, "device signature required");
        Map<String, Held> byId = new LinkedHashMap<>();
        List<HeldImage> images = new ArrayList<>();
        PixelPolicy policy = new PixelPolicy(live.pixels());
        for (String id : heldForPixelText(signature)) {
            Review.FileRow f = review.file(id).orElse(null);
            if (f == null || !"quarantined".equals(f.outcome()) || f.location() == null) continue;
            AttributeList h = new AttributeList();
            try {
                h.read(review.quarantined(f).toString(), TagFromName.PixelData);
            } catch (Exception e) {
                continue; // a held file that cannot be read gives no geometry: it stays out of the proposal
            }
            int rows = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Rows, 0);
            int columns = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Columns, 0);
            if (rows <= 0 || columns <= 0) continue;
            List<Box> words = new ArrayList<>();
            int frame = -1;
            for (JsonNode fd : Review.findings(review.sidecar(f))) {
                JsonNode box = fd.path("box");
                if (!box.isObject() || box.path("width").asInt(0) <= 0 || box.path("height").asInt(0) <= 0) continue;
                words.add(new Box(box.path("x").asInt(), box.path("y").asInt(), box.path("width").asInt(), box.path("height").asInt()));
                if (frame < 0) frame = PixelWorkspace.frameOf(fd.path("attributePath").asText(""));
            }
            // the registry's `pixels:` for the device wins over config/pixels (PixelStage): that is the rule in force then
            String named = registryPixelRule(f);
            String ruleId = named.isEmpty() ? policy.decide(h).rule().map(PixelRule::id).orElse("") : named;
            HeldImage img = new HeldImage(id, rows, columns, words);
            images.add(img);
            byId.put(id, new Held(f, h, ruleId, !named.isEmpty(), img, Math.max(0, frame)));
        }
        List<Group> out = new ArrayList<>();
        for (Map.Entry<TextBands.Geometry, List<HeldImage>> e : TextBands.byGeometry(images).entrySet()) {
            List<Held> files = e.getValue().stream().map(i -> byId.get(i.fileId())).toList();
            Set<String> ruleIds = new LinkedHashSet<>();
            for (Held h : files) ruleIds.add(h.ruleId().isEmpty() ? "(none)" : h.ruleId());
            out.add(new Group(e.getKey(), files, TextBands.propose(e.getValue(), settings), ruleIds));
        }
        return out;
    }

    private Map<String, Object> json(Group g) {
        Proposal p = g.proposal();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", p.rows());
        m.put("columns", p.columns());
        m.put("files", p.files());
        m.put("boxes", p.boxes().stream().map(PixelWorkspace::box).toList());
        List<Map<String, Object>> bands = new ArrayList<>();
        for (Proposal.Band band : p.bands()) {
            Map<String, Object> x = PixelWorkspace.box(band.box());
            x.put("files", band.files());
            x.put("proposed", band.proposed());
            x.put("rejected", band.rejected() == null ? "" : band.rejected());
            bands.add(x);
        }
        m.put("bands", bands);
        m.put("wouldRelease", p.releasable().size());
        m.put("rulesInForce", List.copyOf(g.ruleIds()));
        // what the rule in force blanks already (the accepted rule keeps it): drawn beside the proposed boxes
        Optional<PixelRule> base = g.ruleIds().size() == 1 ? live.pixels().get().byId(g.files().get(0).ruleId()) : Optional.empty();
        m.put("blankedNow", PixelWorkspace.clipped(base.map(PixelRule::blank).orElse(List.of()), p.columns(), p.rows()).stream()
            .map(r -> PixelWorkspace.box(r.box())).toList());
        m.put("acceptable", g.obstacle().isEmpty());
        m.put("note", g.obstacle());
        // samples: files the proposal would release (the boxes at work) and, when there is one, a file it would not
        // (what the proposal leaves out)
        List<Held> released = g.files().stream().filter(h -> p.releasable().contains(h.file().fileId())).toList();
        List<Held> staying = g.files().stream().filter(h -> !p.releasable().contains(h.file().fileId())).toList();
        List<Held> ordered = new ArrayList<>(released.subList(0, Math.min(released.size(), staying.isEmpty() ? SAMPLES : SAMPLES - 1)));
        for (Held h : staying) if (ordered.size() < SAMPLES) ordered.add(h);
        for (Held h : released) if (ordered.size() < SAMPLES && !ordered.contains(h)) ordered.add(h);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (Held h : ordered) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("fileId", h.file().fileId());
            x.put("frame", h.frame());
            x.put("released", p.releasable().contains(h.file().fileId()));
            x.put("words", h.image().words().stream().map(PixelWorkspace::box).toList()); // boxes only: the words may be identifiers
            samples.add(x);
        }
        m.put("samples", samples);
        return m;
    }

    private List<String> heldForPixelText(String signature) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select o.file_id from file_outcome o join haven_file f on f.file_id = o.file_id"
                 + " where o.outcome = 'quarantined' and o.reason = ? and f.device_signature = ? order by o.decided_at limit " + Rechecks.MAX)) {
            ps.setString(1, OcrVerdict.PIXEL_TEXT);
            ps.setString(2, signature);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The base rule's allowed text regions within the image (see {@link PixelWorkspace#clipped}). */
    private static List<Box> allowed(Optional<PixelRule> base, TextBands.Geometry g) {
        List<Box> out = new ArrayList<>();
        for (Box b : base.map(PixelRule::allowText).orElse(List.of())) {
            Box c = b.clip(g.columns(), g.rows());
            if (c != null) out.add(c);
        }
        return out;
    }

    /** The pixel rule the registry entry that classified the file names for its device, or "". */
    private String registryPixelRule(Review.FileRow f) {
        if (live.devices() == null || f.deviceId() == null) return "";
        return live.devices().devices().device(f.deviceId()).map(d -> d.pixels() == null ? "" : d.pixels()).orElse("");
    }

    private static String boxes(List<Box> boxes) {
        return String.join(" ", boxes.stream().map(Box::toString).toList());
    }
}

package org.haven.web;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.classify.DeviceReport;
import org.haven.classify.DeviceStore;
import org.haven.pixel.Box;
import org.haven.pixel.PixelRule;
import org.haven.store.Store;
import org.haven.text.Classifications;
import org.haven.verify.Verifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review actions that change rules and re-check held files, and the pixel workspace (API routes added to {@link WebApp}):
 * <ul>
 *   <li>{@code POST /api/rules/allowlist}: an allowlist entry for a finding, naming every gate rule that matches its
 *       text; identifier classes (source identifiers, CHI, NHS and hospital numbers, names) need {@code confirm: true}
 *       and are flagged in the audit. The rules reload at once and the held files with that text are re-checked.</li>
 *   <li>{@code POST /api/rules/redact}: an entry in {@code config/clean/redact.yaml}, then the file is re-submitted.</li>
 *   <li>{@code GET /api/files/{id}/pixels}, {@code GET /api/files/{id}/frame.png?n=&version=original|deidentified},
 *       {@code POST /api/files/{id}/pixels} (device box, allowed text region, box for this file only).</li>
 *   <li>{@code GET /api/proposals?device=}, {@code POST /api/proposals/accept}: pixel rule proposals (see {@link Proposals}).</li>
 *   <li>{@code GET /api/queue/groups}: a queue page with each file's patient pseudonym and remapped study UID;
 *       {@code GET /api/devices}: per device counts with the registry state.</li>
 * </ul>
 */
final class ReviewActions {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewActions.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** Classifications whose allowlisting lets a real identifier through if the reviewer is wrong. */
    static final Set<String> IDENTIFIER_CLASSES = Set.of(Classifications.SOURCE_IDENTIFIER, Classifications.CHI, Classifications.NHS_NUMBER,
        Classifications.HOSPITAL_NUMBER, Classifications.NAME);

    /** What a route answers: JSON, or PNG bytes. */
    record Reply(Object json, byte[] png) {
        static Reply json(Object o) { return new Reply(o, null); }
    }

    private final Store store;
    private final Review review;
    private final Queue queue;
    private final RuleFiles rules;
    private final RedactFile redact;
    private final LiveRules live;
    private final Rechecks rechecks;
    private final PixelWorkspace pixels;
    private final Proposals proposals;
    private final ViewAudit views;

    ReviewActions(Store store, Review review, Queue queue, RuleFiles rules, RedactFile redact, LiveRules live) {
        this.store = store;
        this.review = review;
        this.queue = queue;
        this.rules = rules;
        this.redact = redact;
        this.live = live;
        this.rechecks = new Rechecks(store, review);
        this.pixels = new PixelWorkspace(review, live.pixels());
        this.views = new ViewAudit(store);
        this.proposals = new Proposals(store, review, rules, live, rechecks, org.haven.pixel.proposal.ProposalSettings.DEFAULT);
    }

    boolean handles(String method, String path) {
        if (method.equals("GET")) {
            return path.equals("/api/queue/groups") || path.equals("/api/devices") || path.equals("/api/proposals")
                || path.matches("/api/files/[0-9a-f]{64}/(pixels|frame\\.png)");
        }
        return path.equals("/api/rules/allowlist") || path.equals("/api/rules/redact") || path.equals("/api/rules/report") || path.equals("/api/pixels/boxes")
            || path.equals("/api/proposals/accept")
            || path.matches("/api/files/[0-9a-f]{64}/pixels");
    }

    Reply handle(String method, String path, Map<String, String> query, JsonNode body, Sessions.Session s) throws Exception {
        if (path.equals("/api/queue/groups")) return Reply.json(groups(query));
        if (path.equals("/api/devices")) return Reply.json(devices());
        if (path.equals("/api/rules/allowlist")) return Reply.json(allowlist(body, s));
        if (path.equals("/api/rules/redact")) return Reply.json(redact(body, s));
        if (path.equals("/api/rules/report")) return Reply.json(report(body, s));
        if (path.equals("/api/proposals")) return Reply.json(proposals.forDevice(query.get("device")));
        if (path.equals("/api/proposals/accept")) return Reply.json(proposals.accept(body, s));
        if (path.equals("/api/pixels/boxes")) {
            String fileId = body.path("fileId").asText("");
            Review.checkId(fileId);
            return Reply.json(pixelChoice(fileId, "device-box", body, s));
        }
        String fileId = path.substring("/api/files/".length(), "/api/files/".length() + 64);
        Review.FileRow f = review.held(fileId);
        if (path.endsWith("/frame.png")) {
            int n = parse(query.getOrDefault("n", "0"));
            boolean original = !"deidentified".equals(query.get("version"));
            if (original) views.viewed(fileId, s.user(), "pixels (frame " + (n + 1) + ", original)");
            try {
                return new Reply(null, pixels.frame(f, n, !original));
            } catch (WebException e) {
                throw e;
            } catch (Exception | LinkageError e) {
                return new Reply(null, Preview.placeholder("frame cannot be shown: " + e.getClass().getSimpleName()));
            }
        }
        if (method.equals("GET")) return Reply.json(pixels.info(f));
        return Reply.json(pixelChoice(fileId, body.path("choice").asText(""), body, s));
    }

    // ---- allowlist and redaction ------------------------------------------------------------------------------------

    /** The finding a request names: {@code finding} (index into the file's findings) or value / attributePath / ruleId. */
    private record Target(String value, String attributePath, String ruleId, String classification) {}

    private Target target(JsonNode b) throws Exception {
        String fileId = blank(b.path("fileId").asText(null));
        if (fileId != null && b.has("finding")) {
            Review.checkId(fileId);
            Review.FileRow f = review.held(fileId);
            List<JsonNode> findings = Review.findings(review.sidecar(f));
            int i = b.path("finding").asInt(-1);
            if (i < 0 || i >= findings.size()) throw new WebException(400, "no such finding");
            JsonNode fd = findings.get(i);
            return new Target(fd.path("matchedText").asText(""), fd.path("attributePath").asText(""), fd.path("ruleId").asText(""),
                fd.path("classification").asText(""));
        }
        return new Target(b.path("value").asText(""), b.path("attributePath").asText(b.path("applyTo").asText("")), b.path("ruleId").asText(""), "");
    }

    private Map<String, Object> allowlist(JsonNode b, Sessions.Session s) throws Exception {
        admin(s);
        String comment = Review.requireComment(b.path("comment").asText(null));
        String fileId = fileParam(b);
        Target t = target(b);
        if (t.value().isBlank()) throw new WebException(400, "value required");
        Verifier v = live.verifier().get();
        Set<String> ruleIds = new LinkedHashSet<>();
        Set<String> classes = new TreeSet<>();
        if (IDENTIFIER_CLASSES.contains(t.classification())) classes.add(t.classification());
        v.rule(t.ruleId()).ifPresent(r -> { ruleIds.add(r.id()); if (IDENTIFIER_CLASSES.contains(r.classification())) classes.add(r.classification()); });
        for (Verifier.RuleRef r : v.rulesMatching(t.attributePath(), t.value())) {
            ruleIds.add(r.id());
            if (IDENTIFIER_CLASSES.contains(r.classification())) classes.add(r.classification());
        }
        if (!classes.isEmpty() && !b.path("confirm").asBoolean(false)) {
            throw new WebException(409, "this text is found as " + String.join(", ", classes)
                + ": allowlisting an identifier class needs explicit confirmation (tick the confirmation and try again)");
        }
        boolean ocr = t.attributePath().startsWith("OCR") || t.ruleId().equals("ocr");
        String keyword = ocr ? null : keyword(t.attributePath());
        String id = blank(b.path("id").asText(null));
        if (id == null) id = nextId("review-allow", rules.allowlistFile());
        String flag = classes.isEmpty() ? "" : " [identifier class allowlisted: " + String.join(", ", classes) + "]";
        rules.addAllow(id, "from review by " + s.user() + ": " + comment + flag, List.copyOf(ruleIds), t.value(), keyword, ocr ? "OCR" : null);
        live.verifier().reloadNow();
        review.recordDecision(fileId, classes.isEmpty() ? "allowlist" : "allowlist-identifier-class", id + " rules " + ruleIds + flag, comment, s.user());
        if (classes.isEmpty()) LOG.info("review: {} added allowlist entry {}", s.user(), id);
        else LOG.warn("review: {} allowlisted an identifier class ({}) as entry {}", s.user(), classes, id);
        int n = rechecks.recheck(rechecks.withFindingText(t.value()), "allowlist entry " + id, s.user());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("file", rules.allowlistFile().toString());
        out.put("rules", List.copyOf(ruleIds));
        out.put("identifierClasses", List.copyOf(classes));
        out.put("rechecked", n);
        return out;
    }

    /** A report rule (regex + classification): written, validated with the whole folder, in force at once. */
    private Map<String, Object> report(JsonNode b, Sessions.Session s) throws Exception {
        admin(s);
        String comment = Review.requireComment(b.path("comment").asText(null));
        String id = b.path("id").asText("");
        rules.addReportRule(id, "from review by " + s.user() + ": " + comment, b.path("regex").asText(null), b.path("classification").asText(null),
            blank(b.path("applyTo").asText(null)));
        live.verifier().reloadNow();
        review.recordDecision(fileParam(b), "report-rule", id, comment, s.user());
        LOG.info("review: {} added report rule {}", s.user(), id);
        return Map.of("id", id, "file", rules.reportRulesFile().toString());
    }

    private Map<String, Object> redact(JsonNode b, Sessions.Session s) throws Exception {
        admin(s);
        String comment = Review.requireComment(b.path("comment").asText(null));
        String fileId = fileParam(b);
        String regex = blank(b.path("regex").asText(null));
        String text = regex != null ? null : b.has("finding") ? target(b).value() : b.path("text").asText("");
        String id = redact.add(text, regex, comment, s.user());
        review.recordDecision(fileId, "redact", id + " in " + redact.file().getFileName(), comment, s.user());
        LOG.info("review: {} added redaction {}", s.user(), id);
        List<String> concerned = new ArrayList<>();
        if (fileId != null && review.file(fileId).map(f -> "quarantined".equals(f.outcome())).orElse(false)) concerned.add(fileId);
        if (text != null) for (String other : rechecks.withFindingText(text)) if (!concerned.contains(other)) concerned.add(other);
        int n = rechecks.recheck(concerned, "redaction " + id, s.user());
        return Map.of("id", id, "file", redact.file().toString(), "rechecked", n);
    }

    // ---- pixels --------------------------------------------------------------------------------------------------------

    private Map<String, Object> pixelChoice(String fileId, String choice, JsonNode b, Sessions.Session s) throws Exception {
        String comment = Review.requireComment(b.path("comment").asText(null));
        Review.FileRow f = review.held(fileId);
        AttributeList h = pixels.header(f);
        int rows = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Columns, 0);
        List<Box> boxes = new ArrayList<>();
        for (JsonNode n : b.path("boxes")) {
            int x = n.path("x").asInt(-1), y = n.path("y").asInt(-1), w = n.path("width").asInt(0), hh = n.path("height").asInt(0);
            if (x < 0 || y < 0 || w <= 0 || hh <= 0 || x + w > columns || y + hh > rows) {
                throw new WebException(400, "box outside the " + columns + "x" + rows + " image: " + x + "," + y + " " + w + "x" + hh);
            }
            boxes.add(new Box(x, y, w, hh));
        }
        if (boxes.isEmpty()) throw new WebException(400, "draw at least one box");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("choice", choice);
        if (choice.equals("file-box")) {
            String json = JSON.writeValueAsString(boxes.stream().map(PixelWorkspace::box).toList());
            review.recordDecision(fileId, "pixel-file-box", json, comment, s.user());
            review.recheck(fileId, "boxes for this file: " + comment, s.user(), json);
            out.put("rechecked", 1);
            return out;
        }
        if (!choice.equals("device-box") && !choice.equals("allow-region")) throw new WebException(400, "choice must be device-box, allow-region or file-box");
        admin(s);
        Optional<PixelRule> base = pixels.rule(h);
        List<PixelRule.Region> blank = new ArrayList<>(PixelWorkspace.clipped(base.map(PixelRule::blank).orElse(List.of()), columns, rows));
        List<Box> allow = new ArrayList<>(base.map(PixelRule::allowText).orElse(List.of()));
        for (Box x : boxes) {
            if (choice.equals("device-box")) blank.add(new PixelRule.Region(x, Set.of()));
            else allow.add(x);
        }
        Map<String, String> when = PixelWorkspace.deviceWhen(h);
        String id = blank(b.path("id").asText(null));
        if (id == null) id = nextId("review-" + when.get("Modality").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", ""), rules.pixelFile());
        String description = (choice.equals("device-box") ? "blank" : "allow text in") + " boxes for " + String.join(" ", when.values())
            + " " + columns + "x" + rows + base.map(r -> ", extending " + r.id()).orElse("") + "; by " + s.user() + ": " + comment;
        rules.addPixelRule(id, description, when, rows, columns, blank, base.map(PixelRule::keepUltrasoundRegions).orElse(false), allow,
            base.map(PixelRule::allowTextInUltrasoundRegions).orElse(false), true);
        live.pixels().reloadNow();
        review.recordDecision(fileId, choice.equals("device-box") ? "pixel-box" : "pixel-allow-region", id, comment, s.user());
        LOG.info("review: {} added pixel rule {}", s.user(), id);
        List<String> concerned = new ArrayList<>(List.of(fileId));
        for (String other : rechecks.pixelHeldOfDevice(f.modality(), f.manufacturer(), f.model())) if (!concerned.contains(other)) concerned.add(other);
        out.put("id", id);
        out.put("file", rules.pixelFile().toString());
        out.put("rechecked", rechecks.recheck(concerned, "pixel rule " + id, s.user()));
        return out;
    }

    // ---- queue and devices ------------------------------------------------------------------------------------------

    private Map<String, Object> groups(Map<String, String> q) throws Exception {
        int limit;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "50"));
        } catch (NumberFormatException e) {
            throw new WebException(400, "not a number");
        }
        Queue.Page page = queue.page(Queue.Filter.of(q), q.get("after"), Math.min(limit, 200));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Queue.Item it : page.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fileId", it.fileId());
            m.put("reason", it.reason());
            m.put("detail", it.detail());
            m.put("decidedAt", it.decidedAt().toString());
            m.put("board", it.board());
            m.put("modality", it.modality());
            m.put("manufacturer", it.manufacturer());
            m.put("model", it.model());
            m.put("deviceSignature", it.deviceSignature());
            m.put("deviceId", it.deviceId());
            m.put("profile", it.profile());
            Map<String, String> g = review.file(it.fileId()).map(review::group).orElse(Map.of("patient", "(unreadable)", "study", "(unreadable)"));
            m.putAll(g);
            items.add(m);
        }
        items.sort((a, c) -> { // by patient then study; unreadable files last
            String pa = String.valueOf(a.get("patient")), pc = String.valueOf(c.get("patient"));
            int p = pa.startsWith("(") != pc.startsWith("(") ? (pa.startsWith("(") ? 1 : -1) : pa.compareTo(pc);
            return p != 0 ? p : String.valueOf(a.get("study")).compareTo(String.valueOf(c.get("study")));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("next", page.next());
        return out;
    }

    private List<Map<String, Object>> devices() throws Exception {
        List<Map<String, Object>> list = review.devices();
        Map<String, DeviceReport.DeviceRow> bySignature = new LinkedHashMap<>();
        if (live.devices() != null) {
            for (DeviceReport.DeviceRow r : DeviceReport.report(new DeviceStore(store), live.devices())) bySignature.put(r.signature(), r);
        }
        for (Map<String, Object> d : list) {
            DeviceReport.DeviceRow r = bySignature.get(String.valueOf(d.get("signature")));
            boolean unread = "(unread)".equals(d.get("signature"));
            d.put("state", unread ? "not classified" : r == null || r.deviceId() == null ? "unknown" : r.state());
            d.put("registryId", r == null || r.deviceId() == null ? "" : r.deviceId());
            d.put("registryRule", r == null || r.rule() == null ? "" : r.rule());
        }
        return list;
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** {@code prefix-YYYYMMDD-N}, unique in {@code file}. */
    static String nextId(String prefix, java.nio.file.Path file) throws java.io.IOException {
        String text = java.nio.file.Files.isRegularFile(file) ? java.nio.file.Files.readString(file) : "";
        String base = prefix + "-" + LocalDate.now(ZoneOffset.UTC).format(DAY) + "-";
        int n = 1;
        while (text.contains("id: " + base + n + "\n")) n++;
        return base + n;
    }

    static String keyword(String attributePath) {
        if (attributePath == null || attributePath.isBlank()) return null;
        String last = attributePath.substring(attributePath.lastIndexOf('.') + 1).replaceAll("\\[\\d+\\]$", "");
        return last.isBlank() ? null : last;
    }

    private static void admin(Sessions.Session s) {
        if (!s.isAdmin()) throw new WebException(403, "admin role required");
    }

    private static String fileParam(JsonNode b) {
        String id = blank(b.path("fileId").asText(null));
        if (id != null) Review.checkId(id);
        return id;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new WebException(400, "not a number");
        }
    }

    private static String blank(String s) { return s == null || s.isBlank() ? null : s; }
}

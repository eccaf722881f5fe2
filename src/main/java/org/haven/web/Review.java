package org.haven.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.deidentify.AppliedAction;
import org.haven.deidentify.DateShift;
import org.haven.deidentify.DeidContext;
import org.haven.deidentify.DeidResult;
import org.haven.deidentify.Deidentifier;
import org.haven.deidentify.Profile;
import org.haven.deidentify.ProfileRegistry;
import org.haven.deidentify.UidRemapper;
import org.haven.ingest.Stager;
import org.haven.store.FateCounts;
import org.haven.store.FileRecords;
import org.haven.store.PseudonymProposal;
import org.haven.store.Pseudonyms;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reviewer sees of one held file and what they may do with it. Every decision needs a comment and is recorded
 * in {@code file_event} (actor = user name) and {@code review_decision} (who, when, what, why). Log lines carry file
 * ids, actions and user names only.
 */
public final class Review {
    private static final Logger LOG = LoggerFactory.getLogger(Review.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Workspace workspace;
    private final ProfileRegistry profiles;
    private final Pseudonyms pseudonyms;
    private final byte[] key;
    private final String defaultProject;
    private final Resubmitter resubmitter;
    private final DeviceDecisions devices;

    public Review(Store store, Workspace workspace, ProfileRegistry profiles, byte[] key, String defaultProject,
                  Resubmitter resubmitter, DeviceDecisions devices) {
        this.store = store;
        this.workspace = workspace;
        this.profiles = profiles;
        this.pseudonyms = new Pseudonyms(store);
        this.key = key.clone();
        this.defaultProject = defaultProject;
        this.resubmitter = resubmitter;
        this.devices = devices;
    }

    public ProfileRegistry profiles() { return profiles; }

    /** haven_file joined with file_outcome. */
    public record FileRow(String fileId, String board, long size, Instant receivedAt, String modality, String manufacturer, String model,
                          String software, String sopClass, String transferSyntax, String deviceSignature, String deviceId,
                          String deviceRule, String profile, String project, String outcome, String reason, String detail,
                          String location, Instant decidedAt) {}

    public Optional<FileRow> file(String fileId) throws SQLException {
        checkId(fileId);
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select f.file_id, f.board, f.size_bytes, f.received_at, f.modality, f.manufacturer, f.model,"
                 + " f.software, f.sop_class_uid, f.transfer_syntax, f.device_signature, f.device_id, f.device_rule, f.profile, f.project,"
                 + " o.outcome, o.reason, o.detail, o.location, o.decided_at from haven_file f left join file_outcome o on o.file_id = f.file_id"
                 + " where f.file_id = ?")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                Timestamp decided = rs.getTimestamp(20);
                return Optional.of(new FileRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getTimestamp(4).toInstant(), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                    rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19),
                    decided == null ? null : decided.toInstant()));
            }
        }
    }

    FileRow held(String fileId) throws SQLException {
        FileRow f = file(fileId).orElseThrow(() -> new WebException(404, "no such file"));
        if (!"quarantined".equals(f.outcome())) throw new WebException(409, "file is not held (outcome: " + f.outcome() + ")");
        return f;
    }

    Path quarantined(FileRow f) {
        if (f.location() == null) throw new WebException(409, "held file has no location");
        Path p = workspace.quarantine().resolve(f.location()).normalize();
        if (!p.startsWith(workspace.quarantine().normalize())) throw new WebException(409, "bad location");
        return p;
    }

    Path sidecarPath(FileRow f) {
        Path dcm = quarantined(f);
        return dcm.resolveSibling(f.fileId() + ".json");
    }

    public JsonNode sidecar(FileRow f) {
        Path p = sidecarPath(f);
        if (!Files.isRegularFile(p)) return JSON.createObjectNode();
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            return JSON.createObjectNode().put("error", "sidecar unreadable");
        }
    }

    /** The detail view: record, sidecar, findings (always a list), attribute table (original beside de-identified), audit. */
    public Map<String, Object> detail(String fileId, String profileOverride) throws Exception {
        FileRow f = file(fileId).orElseThrow(() -> new WebException(404, "no such file"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", f);
        out.put("profiles", profiles.names());
        out.put("findings", List.of());
        if ("quarantined".equals(f.outcome())) {
            JsonNode sidecar = sidecar(f);
            out.put("sidecar", sidecar);
            out.put("findings", findings(sidecar));
            String[] preview = previewProfile(f, profileOverride);
            out.put("previewProfile", preview[0]);
            out.put("previewProfileSource", preview[1]);
            out.put("attributes", attributes(f, preview[0]));
        }
        out.put("events", events(fileId));
        out.put("decisions", decisions(fileId, 200));
        return out;
    }

    /**
     * The findings of a sidecar as a list, whatever wrote it: the gate and OCR write a report object
     * {@code {passed, findings: [...]}}, older sidecars may hold the list itself; anything else is no findings.
     */
    static List<JsonNode> findings(JsonNode sidecar) {
        JsonNode f = sidecar.path("findings");
        if (f.isObject()) f = f.path("findings");
        List<JsonNode> out = new ArrayList<>();
        if (f.isArray()) f.forEach(out::add);
        return out;
    }

    /**
     * The profile for the attribute preview and its source: the reviewer's choice, the device's registry profile, or,
     * for files whose device has none (held for their device, unreadable...), the default profile the device would
     * get when trusted ({@code research} when configured).
     */
    String[] previewProfile(FileRow f, String override) {
        if (override != null && !override.isBlank()) {
            if (profiles.get(override) == null) throw new WebException(400, "unknown profile");
            return new String[] {override, "chosen"};
        }
        if (f.profile() != null && !f.profile().isBlank() && profiles.get(f.profile()) != null) return new String[] {f.profile(), "registry"};
        return new String[] {defaultProfile(), "default: the device has no profile in the registry (" + (f.reason() == null ? "not classified" : f.reason()) + ")"};
    }

    String defaultProfile() {
        return profiles.names().contains("research") ? "research" : profiles.names().iterator().next();
    }

    /** Original beside de-identified, computed now with the profile, as the pipeline would (pseudonym from the store). */
    Object attributes(FileRow f, String profileName) {
        Profile profile = profiles.get(profileName);
        if (profile == null) return Map.of("error", "no such profile: " + profileName);
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try {
            list.read(quarantined(f).toString(), TagFromName.PixelData);
        } catch (Exception e) {
            return Map.of("error", "the file cannot be read as DICOM (held as " + f.reason() + "): no attribute table");
        }
        try {
            String project = f.project() != null ? f.project() : defaultProject;
            String patientId = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID);
            String patientKey = PseudonymProposal.patientKey(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.IssuerOfPatientID), patientId);
            String pseudonym = pseudonyms.find(project, patientKey).orElseGet(() -> PseudonymProposal.propose(key, project, patientKey));
            int shift = DateShift.offsetDays(key, project, pseudonym);
            DeidResult result = new Deidentifier(profile).apply(list, new DeidContext(project, pseudonym, shift, new UidRemapper(key, project), true));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (AppliedAction a : result.actions()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("path", a.path());
                r.put("tag", a.tag());
                r.put("keyword", a.keyword());
                r.put("depth", a.depth());
                r.put("original", a.before());
                r.put("action", a.action());
                r.put("rule", a.rule());
                r.put("ruleSource", a.ruleSource());
                r.put("deidentified", a.after());
                r.put("changed", a.changed());
                rows.add(r);
            }
            return Map.of("profile", profileName, "project", project, "changed", result.changedCount(), "rows", rows,
                    "composition", profile.applied(), "conflicts", profile.conflicts());
        } catch (Exception e) {
            return Map.of("error", "de-identification preview failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Patient and study of a held file as the release would name them (the project pseudonym, the remapped study UID),
     * so the queue can group files without showing identifiers; "(unreadable)" when the header cannot be read.
     */
    Map<String, String> group(FileRow f) {
        Map<String, String> g = new LinkedHashMap<>();
        g.put("patient", "(unreadable)");
        g.put("study", "(unreadable)");
        if (f.location() == null) return g;
        AttributeList list = new AttributeList();
        try {
            list.read(quarantined(f).toString(), TagFromName.PixelData);
            String project = f.project() != null ? f.project() : defaultProject;
            String patientKey = PseudonymProposal.patientKey(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.IssuerOfPatientID),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID));
            g.put("patient", pseudonyms.find(project, patientKey).orElseGet(() -> PseudonymProposal.propose(key, project, patientKey)));
            String study = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
            g.put("study", study.isEmpty() ? "(no study)" : new UidRemapper(key, project).remap(study));
        } catch (Exception e) {
            // not DICOM, or truncated: grouped as unreadable
        }
        return g;
    }

    public List<Map<String, Object>> events(String fileId) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select event, reason, detail, actor, at from file_event where file_id = ? order by id")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("event", rs.getString(1));
                    e.put("reason", rs.getString(2));
                    e.put("detail", rs.getString(3));
                    e.put("actor", rs.getString(4));
                    e.put("at", rs.getTimestamp(5).toInstant());
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Reviewer decisions, newest first; for one file or (fileId null) all. */
    public List<Map<String, Object>> decisions(String fileId, int limit) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        String sql = "select id, file_id, action, target, comment, actor, at from review_decision"
            + (fileId == null ? "" : " where file_id = ?") + " order by id desc limit ?";
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (fileId != null) ps.setString(i++, fileId);
            ps.setInt(i, Math.max(1, Math.min(limit, 1000)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("id", rs.getLong(1));
                    e.put("fileId", rs.getString(2));
                    e.put("action", rs.getString(3));
                    e.put("target", rs.getString(4));
                    e.put("comment", rs.getString(5));
                    e.put("actor", rs.getString(6));
                    e.put("at", rs.getTimestamp(7).toInstant());
                    out.add(e);
                }
            }
        }
        return out;
    }

    // ---- decisions ------------------------------------------------------------------------------------------------

    /**
     * Release (or re-process with another profile): the original goes back to staging and the outcome row is removed in
     * one transaction with the audit rows, then the file is resubmitted for a fresh de-identification and verification.
     */
    public void resubmit(String fileId, String profileName, String comment, String actor, boolean reprocess) throws Exception {
        comment = requireComment(comment);
        FileRow f = held(fileId);
        String profile = profileName != null && !profileName.isBlank() ? profileName : f.profile();
        if (profile == null || profile.isBlank()) throw new WebException(400, "this file has no profile from the registry: choose one");
        if (profiles.get(profile) == null) throw new WebException(400, "unknown profile");
        if (reprocess && (profileName == null || profileName.isBlank())) throw new WebException(400, "choose the profile to re-process with");
        send(f, reprocess ? "reprocess" : "release", profile, comment, actor, true, null);
    }

    /**
     * Re-check after a rule change (allowlist, redaction, pixel rule) or with boxes drawn for this one file: the file
     * goes through the pipeline again as it came, its device's registry entry deciding as before (a file a reviewer had
     * released keeps that release), plus {@code fileBoxes} (JSON) blanked in its pixels.
     */
    public void recheck(String fileId, String why, String actor, String fileBoxes) throws Exception {
        FileRow f = held(fileId);
        boolean reviewReleased = "review-release".equals(f.deviceId());
        String profile = f.profile() != null && !f.profile().isBlank() ? f.profile() : defaultProfile();
        send(f, "recheck", profile, why, actor, reviewReleased, fileBoxes);
    }

    private void send(FileRow f, String action, String profile, String comment, String actor, boolean reviewRelease, String fileBoxes) throws Exception {
        String fileId = f.fileId();
        Path source = quarantined(f);
        Path sidecar = sidecarPath(f);
        Path staged = workspace.staged(fileId);
        if (!Files.exists(source)) throw new WebException(409, "the quarantined original is missing");
        Workspace.moveInto(source, staged);
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("delete from file_outcome where file_id = ? and outcome = 'quarantined'"
                        + " and coalesce(reason, '') = ?")) {
                    ps.setString(1, fileId);
                    ps.setString(2, f.reason() == null ? "" : f.reason());
                    if (ps.executeUpdate() != 1) throw new WebException(409, "the file was decided meanwhile");
                }
                FateCounts.left(c, fileId, "quarantined", f.reason());
                FileRecords.enterFlight(c, fileId);
                event(c, fileId, "review-" + action, f.reason(), "profile " + profile + ": " + comment, actor);
                decision(c, fileId, action, profile, comment, actor);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                Workspace.moveInto(staged, source);
                throw e;
            }
        }
        Files.deleteIfExists(sidecar);
        String project = f.project() != null ? f.project() : defaultProject;
        try {
            resubmitter.resubmit(new Resubmitter.Request(fileId, f.board(), profile, project, actor, f.modality(), f.manufacturer(), f.model(),
                f.deviceId(), reviewRelease, fileBoxes));
        } catch (Exception e) {
            // put it back as it was: held, with the failure in the audit
            Workspace.moveInto(staged, source);
            try (Connection c = store.connection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("insert into file_outcome (file_id, outcome, reason, detail, location, decided_at, node)"
                         + " values (?, 'quarantined', ?, ?, ?, ?, ?)")) {
                    ps.setString(1, fileId);
                    ps.setString(2, f.reason());
                    ps.setString(3, f.detail());
                    ps.setString(4, f.location());
                    ps.setTimestamp(5, Timestamp.from(Instant.now()));
                    ps.setString(6, actor);
                    ps.executeUpdate();
                    FateCounts.arrived(c, fileId, "quarantined", f.reason());
                    FileRecords.leaveFlight(c, fileId);
                    event(c, fileId, "review-" + action + "-failed", f.reason(), e.getClass().getSimpleName(), actor);
                    c.commit();
                } catch (SQLException | RuntimeException failed) {
                    c.rollback();
                    throw failed;
                }
            }
            throw new WebException(503, "the pipeline did not accept the file; it stays held");
        }
        LOG.info("review: {} {} file {} with profile {}", actor, action, Stager.shortId(fileId), profile);
    }

    /** Reject: the original leaves the workspace, the outcome becomes rejected, the audit stays. */
    public void reject(String fileId, String comment, String actor) throws Exception {
        comment = requireComment(comment);
        FileRow f = held(fileId);
        Path source = quarantined(f);
        Path sidecar = sidecarPath(f);
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("update file_outcome set outcome = 'rejected', location = null, decided_at = ?, node = ?"
                        + " where file_id = ? and outcome = 'quarantined' and coalesce(reason, '') = ?")) {
                    ps.setTimestamp(1, Timestamp.from(Instant.now()));
                    ps.setString(2, actor);
                    ps.setString(3, fileId);
                    ps.setString(4, f.reason() == null ? "" : f.reason());
                    if (ps.executeUpdate() != 1) throw new WebException(409, "the file was decided meanwhile");
                }
                FateCounts.left(c, fileId, "quarantined", f.reason());
                FateCounts.arrived(c, fileId, "rejected", f.reason());
                event(c, fileId, "rejected", f.reason(), comment, actor);
                decision(c, fileId, "reject", f.reason(), comment, actor);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
        Files.deleteIfExists(source);
        Files.deleteIfExists(sidecar);
        LOG.info("review: {} rejected file {}", actor, Stager.shortId(fileId));
    }

    /** Trust or block a device: written through {@link DeviceDecisions}, recorded in the audit. */
    public Map<String, Object> deviceDecision(String signature, String deviceId, String state, String profile, String comment, String actor,
                                              String fileId) throws Exception {
        comment = requireComment(comment);
        if (signature == null || signature.isBlank()) throw new WebException(400, "device signature required");
        DeviceDecisions.State s;
        try {
            s = DeviceDecisions.State.valueOf(state.toUpperCase());
        } catch (RuntimeException e) {
            throw new WebException(400, "state must be trusted or blocked");
        }
        if (s == DeviceDecisions.State.TRUSTED && (profile == null || profiles.get(profile) == null)) throw new WebException(400, "trusting a device needs a known profile");
        devices.decide(signature, deviceId, s, s == DeviceDecisions.State.TRUSTED ? profile : null, actor, comment);
        try (Connection c = store.connection()) {
            decision(c, fileId, "device-" + s.name().toLowerCase(), signature + (profile == null ? "" : " -> " + profile), comment, actor);
            if (fileId != null && file(fileId).isPresent()) event(c, fileId, "review-device-" + s.name().toLowerCase(), null, comment, actor);
        }
        LOG.info("review: {} marked a device {}", actor, s.name().toLowerCase());
        return Map.of("state", s.name().toLowerCase(), "heldForDevice", heldFor(signature));
    }

    long heldFor(String signature) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from file_outcome o join haven_file f on f.file_id = o.file_id"
                 + " where o.outcome = 'quarantined' and f.device_signature = ?")) {
            ps.setString(1, signature);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Per-device counts: files, released, held, rejected, held by reason, what trusting it would release. From the
     * kept fate counts ({@link FateCounts}) and the files in flight, not a count of the archive; a device's registry
     * entry is its latest sighting's ({@code device_seen}).
     */
    public List<Map<String, Object>> devices() throws SQLException {
        Map<String, Map<String, Object>> bySig = new LinkedHashMap<>();
        try (Connection c = store.connection()) {
            Map<String, String[]> seen = new java.util.HashMap<>(); // signature id → signature, registry entry
            try (PreparedStatement ps = c.prepareStatement("select signature_id, signature, device_id from device_seen");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) seen.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
            }
            for (FateCounts.Count n : FateCounts.all(c)) {
                String[] d = seen.getOrDefault(n.signatureId(), new String[] {n.signatureId().isEmpty() ? null : n.signatureId(), null});
                countDevice(bySig, d[0], d[1], n.outcome(), n.reason(), n.files());
            }
            try (PreparedStatement ps = c.prepareStatement("select f.device_signature, f.device_id, count(*) from file_in_flight i"
                     + " join haven_file f on f.file_id = i.file_id group by f.device_signature, f.device_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) countDevice(bySig, rs.getString(1), rs.getString(2), null, null, rs.getLong(3));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(bySig.values());
        for (Map<String, Object> d : out) {
            d.put("trustWouldRelease", d.get("held")); // every held file of the device would be re-submitted as trusted
            List<?> ids = (List<?>) d.get("deviceIds");
            d.put("state", ids.isEmpty() ? "unknown" : "registered");
        }
        out.sort((a, b) -> Long.compare((Long) b.get("held"), (Long) a.get("held")));
        return out;
    }

    /** Adds {@code n} files of one fate ({@code outcome} null: in flight) to a device's row. */
    private static void countDevice(Map<String, Map<String, Object>> bySig, String signature, String deviceId, String outcome, String reason, long n) {
        Map<String, Object> d = bySig.computeIfAbsent(signature == null ? "(unread)" : signature, k -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("signature", k);
            m.put("deviceIds", new ArrayList<String>());
            m.put("files", 0L);
            m.put("released", 0L);
            m.put("held", 0L);
            m.put("rejected", 0L);
            m.put("inFlight", 0L);
            m.put("heldByReason", new LinkedHashMap<String, Long>());
            return m;
        });
        @SuppressWarnings("unchecked") List<String> ids = (List<String>) d.get("deviceIds");
        if (deviceId != null && !ids.contains(deviceId)) ids.add(deviceId);
        d.merge("files", n, (a, b) -> (Long) a + (Long) b);
        String bucket = outcome == null ? "inFlight" : outcome.equals("quarantined") ? "held" : outcome;
        d.merge(bucket, n, (a, b) -> (Long) a + (Long) b);
        if ("quarantined".equals(outcome)) {
            @SuppressWarnings("unchecked") Map<String, Long> r = (Map<String, Long>) d.get("heldByReason");
            r.merge(reason, n, Long::sum);
        }
    }

    /** Records a rule or configuration decision (not tied to an outcome change). */
    public void recordDecision(String fileId, String action, String target, String comment, String actor) throws SQLException {
        try (Connection c = store.connection()) {
            decision(c, fileId, action, target, comment, actor);
            if (fileId != null && file(fileId).isPresent()) event(c, fileId, "review-" + action, null, target + ": " + comment, actor);
        }
    }

    static String requireComment(String comment) {
        if (comment == null || comment.isBlank()) throw new WebException(400, "a comment is required");
        if (comment.length() > 4000) throw new WebException(400, "comment too long");
        return comment.strip();
    }

    static void checkId(String fileId) {
        if (fileId == null || !fileId.matches("[0-9a-f]{64}")) throw new WebException(404, "no such file");
    }

    private static void event(Connection c, String fileId, String event, String reason, String detail, String actor) throws SQLException {
        org.haven.store.FileRecords.insertEvent(c, fileId, event, reason, detail, actor);
    }

    private static void decision(Connection c, String fileId, String action, String target, String comment, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into review_decision (file_id, action, target, comment, actor, at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, fileId);
            ps.setString(2, action);
            ps.setString(3, target == null || target.length() <= 1000 ? target : target.substring(0, 1000));
            ps.setString(4, comment);
            ps.setString(5, actor);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }
}

package org.haven.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.haven.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a rule changes from review (allowlist, redaction, pixel rule), the held files it concerns go through the
 * pipeline again at once, so the reviewer sees the rule work (or not) on them: files held by the gate or for pixel
 * text whose findings contain the text, or files held for their pixels from the same device. At most
 * {@value #MAX} files per change; the rest are found by a bulk action or the next change.
 */
final class Rechecks {
    private static final Logger LOG = LoggerFactory.getLogger(Rechecks.class);
    static final int MAX = 500;

    private final Store store;
    private final Review review;

    Rechecks(Store store, Review review) {
        this.store = store;
        this.review = review;
    }

    /** Held files (gate findings, pixel text) with a finding whose matched text equals {@code text} (case-insensitive). */
    List<String> withFindingText(String text) throws SQLException {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String id : held("(o.reason like 'verification:%' or o.reason = 'pixel-text')", null, null, null)) {
            Review.FileRow f = review.file(id).orElse(null);
            if (f == null) continue;
            for (JsonNode fd : Review.findings(review.sidecar(f))) {
                String m = fd.path("matchedText").asText("");
                if (m.strip().toLowerCase(Locale.ROOT).equals(wanted) || m.toLowerCase(Locale.ROOT).contains(wanted)) {
                    out.add(id);
                    break;
                }
            }
        }
        return out;
    }

    /** Held files of this device (modality, manufacturer, model as recorded) held for their pixels. */
    List<String> pixelHeldOfDevice(String modality, String manufacturer, String model) throws SQLException {
        return held("o.reason in ('pixel-text', 'pixels-unverified')", modality, manufacturer, model);
    }

    /** Sends each file back through the pipeline; returns how many went (a file decided meanwhile is skipped). */
    int recheck(List<String> fileIds, String why, String actor) {
        int n = 0;
        for (String id : fileIds) {
            try {
                review.recheck(id, why, actor, null);
                n++;
            } catch (Exception e) {
                LOG.info("review: re-check of a held file skipped: {}", e.getClass().getSimpleName());
            }
        }
        if (n > 0) LOG.info("review: {} re-submitted {} held file(s) after a rule change", actor, n);
        return n;
    }

    private List<String> held(String condition, String modality, String manufacturer, String model) throws SQLException {
        StringBuilder sql = new StringBuilder("select o.file_id from file_outcome o join haven_file f on f.file_id = o.file_id"
            + " where o.outcome = 'quarantined' and ").append(condition);
        List<String> args = new ArrayList<>();
        if (modality != null) { sql.append(" and f.modality = ?"); args.add(modality); }
        if (manufacturer != null) { sql.append(" and f.manufacturer = ?"); args.add(manufacturer); }
        if (model != null) { sql.append(" and f.model = ?"); args.add(model); }
        sql.append(" order by o.decided_at limit ").append(MAX);
        List<String> out = new ArrayList<>();
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}

package org.haven.resolve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.haven.store.FileRecords;
import org.haven.store.Pseudonyms;
import org.haven.store.Store;

/**
 * The store's side of identity resolution: mapping rows with their resolution status, what each file was resolved
 * to, and re-linkage records. A resolved person's row is keyed {@code CHI|<chi>}, an unresolved one
 * {@code <issuer>|<local id>}; the primary key (project, patient key) makes two nodes allocating at once converge
 * on one pseudonym, and the unique (project, pseudonym) fails a (60-bit) collision closed.
 */
public final class IdentityStore {
    public static final String RESOLVED = "resolved";
    public static final String UNRESOLVED = "unresolved";
    public static final String MERGED = "merged";

    private final Store store;
    /**
     * Pseudonyms already recorded, by project and patient key: a recorded pseudonym never changes (the stored value
     * wins, rows are never updated or deleted but for their status), so a committed value may be kept. Bounded and
     * emptied when full (the recurring patients of a run refill it); holds only values read from or committed to
     * the store, so every node still converges on the stored value.
     */
    private final java.util.Map<String, String> recorded = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int RECORDED_MAX = 4096;

    public IdentityStore(Store store) { this.store = store; }

    public Store store() { return store; }

    public static String chiKey(String chi) { return "CHI|" + chi; }

    public static String localKey(String issuer, String localId) { return issuer + "|" + localId; }

    /** The recorded pseudonym of a patient key, or the proposed one recorded now. */
    public String allocate(String project, String patientKey, String proposed, String chi, String status) throws SQLException {
        String cacheKey = project + '\u0000' + patientKey;
        String known = recorded.get(cacheKey);
        if (known != null) return known;
        String stored = allocateInStore(project, patientKey, proposed, chi, status);
        if (recorded.size() >= RECORDED_MAX) recorded.clear();
        recorded.put(cacheKey, stored);
        return stored;
    }

    private String allocateInStore(String project, String patientKey, String proposed, String chi, String status) throws SQLException {
        Optional<String> existing = find(project, patientKey);
        if (existing.isPresent()) return existing.get();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement(
                 "insert into pseudonym (project, patient_key, pseudonym, created_at, chi, status) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, project);
            ps.setString(2, patientKey);
            ps.setString(3, proposed);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.setString(5, chi);
            ps.setString(6, status);
            ps.executeUpdate();
            return proposed;
        } catch (SQLException e) {
            if (!Store.isDuplicateKey(e)) throw e;
        }
        return find(project, patientKey).orElseThrow(() -> new Pseudonyms.PseudonymCollisionException(project));
    }

    public Optional<String> find(String project, String patientKey) throws SQLException {
        return new Pseudonyms(store).find(project, patientKey);
    }

    /** Status of a mapping row (null for rows written before identity resolution). */
    public Optional<String> status(String project, String patientKey) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select status from pseudonym where project = ? and patient_key = ?")) {
            ps.setString(1, project);
            ps.setString(2, patientKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** For a merged local key: the person's CHI and pseudonym it was merged into. */
    public Optional<String[]> mergedInto(String project, String patientKey) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select r.chi, r.resolved_pseudonym from pseudonym p join patient_relink r"
                 + " on r.project = p.project and r.unresolved_pseudonym = p.pseudonym where p.project = ? and p.patient_key = ? and p.status = ?")) {
            ps.setString(1, project);
            ps.setString(2, patientKey);
            ps.setString(3, MERGED);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
            }
        }
    }

    /**
     * The patient's file record (project, pseudonym, how the person was found), held back to be written with the
     * file's fate ({@link FileRecords#rowLater}): no commit of its own. A file processed again (replayed, re-issued,
     * redelivered after a fate) has its row rewritten.
     */
    public static FileRecords.PendingRow fileRecord(String fileId, String project, String pseudonym, Resolver.Resolution r, String board,
                                                    String studyDate) {
        Timestamp at = Timestamp.from(Instant.now());
        return c -> {
            // update first: a file seen again is the rarer case, but a failed insert would end a PostgreSQL transaction
            try (PreparedStatement up = c.prepareStatement("update patient_file set project = ?, pseudonym = ?, chi = ?, issuer = ?,"
                + " local_id = ?, board = ?, study_date = ?, resolved_by = ?, at = ? where file_id = ?")) {
                bind(up, project, pseudonym, r, board, studyDate, at);
                up.setString(10, fileId);
                if (up.executeUpdate() > 0) return;
            }
            try (PreparedStatement ins = c.prepareStatement("insert into patient_file (project, pseudonym, chi, issuer, local_id, board,"
                + " study_date, resolved_by, at, file_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(ins, project, pseudonym, r, board, studyDate, at);
                ins.setString(10, fileId);
                ins.executeUpdate(); // a concurrent delivery's row (its fate committed with it) fails this one as decided
            }
        };
    }

    private static void bind(PreparedStatement ps, String project, String pseudonym, Resolver.Resolution r, String board, String studyDate,
                             Timestamp at) throws SQLException {
        ps.setString(1, project);
        ps.setString(2, pseudonym);
        ps.setString(3, r.chi().orElse(null));
        ps.setString(4, cut(r.issuer()));
        ps.setString(5, cut(r.localId()));
        ps.setString(6, board);
        ps.setString(7, studyDate);
        ps.setString(8, r.method());
        ps.setTimestamp(9, at);
    }

    private static String cut(String s) { return s == null || s.length() <= 100 ? s : s.substring(0, 100); }

    /** An unresolved mapping row: the local id a pseudonym was issued for. */
    public record UnresolvedRow(String project, String pseudonym, String issuer, String localId) {}

    public List<UnresolvedRow> unresolved() throws SQLException {
        List<UnresolvedRow> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select project, pseudonym, patient_key from pseudonym where status = ?")) {
            ps.setString(1, UNRESOLVED);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(3);
                    int bar = key.indexOf('|');
                    out.add(new UnresolvedRow(rs.getString(1), rs.getString(2), key.substring(0, bar), key.substring(bar + 1)));
                }
            }
        }
        return out;
    }

    /**
     * Records that the local id behind {@code unresolved} is person {@code chi} (pseudonym {@code resolved}), and
     * marks the old row merged. Returns true the first time.
     */
    public boolean recordRelink(UnresolvedRow row, String chi, String resolved, String actor) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("insert into patient_relink (project, unresolved_pseudonym, resolved_pseudonym,"
                    + " chi, issuer, local_id, detected_at, detected_by) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, row.project());
                    ps.setString(2, row.pseudonym());
                    ps.setString(3, resolved);
                    ps.setString(4, chi);
                    ps.setString(5, row.issuer());
                    ps.setString(6, row.localId());
                    ps.setTimestamp(7, Timestamp.from(Instant.now()));
                    ps.setString(8, actor);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("update pseudonym set status = ?, chi = ? where project = ? and pseudonym = ?")) {
                    ps.setString(1, MERGED);
                    ps.setString(2, chi);
                    ps.setString(3, row.project());
                    ps.setString(4, row.pseudonym());
                    ps.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (Store.isDuplicateKey(e)) return false;
                throw e;
            }
        }
    }

    /** One re-linkage: an unresolved pseudonym whose local id resolved, and what has been done about its files. */
    public record Relink(String project, String unresolvedPseudonym, String resolvedPseudonym, String chi, String issuer, String localId,
                         Instant detectedAt, Instant reissueRequestedAt, Instant reissuedAt, Integer reissuedFiles, int releasedFiles) {}

    public List<Relink> relinks() throws SQLException {
        List<Relink> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select r.project, r.unresolved_pseudonym, r.resolved_pseudonym, r.chi, r.issuer, r.local_id,"
                 + " r.detected_at, r.reissue_requested_at, r.reissued_at, r.reissued_files,"
                 + " (select count(*) from patient_file f join file_outcome o on o.file_id = f.file_id and o.outcome = 'released'"
                 + "   where f.project = r.project and f.pseudonym = r.unresolved_pseudonym)"
                 + " from patient_relink r order by r.project, r.detected_at, r.unresolved_pseudonym");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Relink(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)),
                    (Integer) rs.getObject(10) == null ? null : rs.getInt(10), rs.getInt(11)));
            }
        }
        return out;
    }

    /**
     * Asks the nodes to re-issue the released files of every merge not yet re-issued, or re-issued but with files
     * still released under the old pseudonym (a node stopped half-way); returns how many merges were asked.
     */
    public int requestReissue(String actor) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("update patient_relink set reissue_requested_at = ?, reissue_requested_by = ?,"
                 + " reissued_at = null, reissued_by = null where reissued_at is null or exists (select 1 from patient_file f"
                 + " join file_outcome o on o.file_id = f.file_id and o.outcome = 'released'"
                 + " where f.project = patient_relink.project and f.pseudonym = patient_relink.unresolved_pseudonym)")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, actor);
            return ps.executeUpdate();
        }
    }

    /** Re-linkages asked to be re-issued and not yet claimed by a node. */
    public List<Relink> pendingReissues() throws SQLException {
        List<Relink> out = new ArrayList<>();
        for (Relink r : relinks()) if (r.reissueRequestedAt() != null && r.reissuedAt() == null) out.add(r);
        return out;
    }

    /** Claims a requested re-issue for this node (one node re-issues a merge's files). */
    public boolean claimReissue(Relink r, String node) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("update patient_relink set reissued_at = ?, reissued_by = ?"
                 + " where project = ? and unresolved_pseudonym = ? and reissued_at is null and reissue_requested_at is not null")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, node);
            ps.setString(3, r.project());
            ps.setString(4, r.unresolvedPseudonym());
            return ps.executeUpdate() == 1;
        }
    }

    public void reissued(Relink r, int files) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("update patient_relink set reissued_files = ? where project = ? and unresolved_pseudonym = ?")) {
            ps.setInt(1, files);
            ps.setString(2, r.project());
            ps.setString(3, r.unresolvedPseudonym());
            ps.executeUpdate();
        }
    }

    /** Released files of a pseudonym: file id, board and release location. */
    public List<String[]> releasedFiles(String project, String pseudonym) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select f.file_id, f.board, o.location from patient_file f"
                 + " join file_outcome o on o.file_id = f.file_id and o.outcome = 'released' where f.project = ? and f.pseudonym = ?")) {
            ps.setString(1, project);
            ps.setString(2, pseudonym);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return out;
    }

    /** Files held as unresolved-patient whose recorded local id is now in the patient index. */
    public List<String[]> heldNowInIndex() throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select o.file_id, h.board, o.location from file_outcome o"
                 + " join haven_file h on h.file_id = o.file_id join patient_file f on f.file_id = o.file_id"
                 + " join patient_index i on i.issuer = f.issuer and i.local_id = f.local_id"
                 + " where o.outcome = 'quarantined' and o.reason = 'unresolved-patient'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
        return out;
    }

    /** Audit of an action on the mapping (export): who, what, why. */
    public void audit(String event, String actor, String subject, String reason, String detail) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("insert into audit_event (event, actor, subject, reason, detail, at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, event);
            ps.setString(2, actor);
            ps.setString(3, subject);
            ps.setString(4, reason);
            ps.setString(5, detail);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /**
     * Takes a released file back for re-issue, in one transaction: its released outcome and release-path claim are
     * deleted, a {@code replayed} event (reason relink) records why, and {@code move} (retained → staging) runs
     * before the commit. Returns false when another node got there first.
     */
    public boolean reopenReleased(String fileId, String location, String detail, String actor,
                                  org.haven.classify.DeviceStore.Move move) throws SQLException, java.io.IOException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                int n;
                try (PreparedStatement ps = c.prepareStatement("delete from file_outcome where file_id = ? and outcome = 'released'")) {
                    ps.setString(1, fileId);
                    n = ps.executeUpdate();
                }
                if (n != 1) {
                    c.rollback();
                    return false;
                }
                org.haven.store.FateCounts.left(c, fileId, "released", null);
                FileRecords.enterFlight(c, fileId);
                try (PreparedStatement ps = c.prepareStatement("delete from released_instance where location = ? and file_id = ?")) {
                    ps.setString(1, location);
                    ps.setString(2, fileId);
                    ps.executeUpdate();
                }
                org.haven.store.FileRecords.insertEvent(c, fileId, "replayed", "relink", detail, actor);
                move.run();
                c.commit();
                return true;
            } catch (SQLException | java.io.IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Rows of the patient index, as a change stamp: count and latest update. */
    public String indexStamp() throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select count(*), max(updated_at) from patient_index");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) + "|" + rs.getTimestamp(2);
        }
    }

    private static Instant instant(Timestamp t) { return t == null ? null : t.toInstant(); }
}

package org.haven.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Every file's record, its audit trail and its single outcome. */
public final class FileRecords {
    private final Store store;

    public FileRecords(Store store) { this.store = store; }

    /** What the store already knew about a file that arrives. */
    public enum Arrival { NEW, IN_FLIGHT, ALREADY_DECIDED }

    /** Records a received file; an identical file seen before is {@code IN_FLIGHT} or {@code ALREADY_DECIDED}. */
    public Arrival receive(String fileId, String board, String sourcePath, long size, String actor) throws SQLException {
        return receiveAll(List.of(new Receipt(fileId, board, sourcePath, size)), actor).get(0); // the record and its event: one commit
    }

    /** A file staged and about to be recorded with others ({@link #receiveAll}). */
    public record Receipt(String fileId, String board, String sourcePath, long size) {}

    /**
     * {@link #receive} for many files in one commit (a drop-folder poll's files: one durable commit per poll instead
     * of one per file). Each file's record and event are written under a savepoint, so one already known becomes
     * {@code IN_FLIGHT} or {@code ALREADY_DECIDED} (with its {@code duplicate} event) without undoing the others.
     * Returns the arrivals in the order of {@code files}; nothing is recorded when this throws.
     */
    public List<Arrival> receiveAll(List<Receipt> files, String actor) throws SQLException {
        List<Arrival> arrivals = new ArrayList<>(files.size());
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT_FILE)) {
                for (Receipt r : files) {
                    java.sql.Savepoint sp = c.setSavepoint();
                    try {
                        bindFile(insert, r.fileId(), r.board(), r.sourcePath(), r.size());
                        insert.executeUpdate();
                        enterFlight(c, r.fileId());
                        insertEvent(c, r.fileId(), "received", null, "board " + r.board(), actor);
                        c.releaseSavepoint(sp);
                        arrivals.add(Arrival.NEW);
                    } catch (SQLException e) {
                        c.rollback(sp);
                        if (!Store.isDuplicateKey(e)) throw e;
                        Arrival seen = outcome(c, r.fileId()).isPresent() ? Arrival.ALREADY_DECIDED : Arrival.IN_FLIGHT;
                        insertEvent(c, r.fileId(), "duplicate", null, "same content received again on board " + r.board() + " (" + seen + ")", actor);
                        arrivals.add(seen);
                    }
                }
                c.commit();
                return arrivals;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static final String INSERT_FILE = "insert into haven_file (file_id, board, source_path, size_bytes, received_at) values (?, ?, ?, ?, ?)";

    private static void bindFile(PreparedStatement ps, String fileId, String board, String sourcePath, long size) throws SQLException {
        ps.setString(1, fileId);
        ps.setString(2, board);
        ps.setString(3, truncate(sourcePath, 2000)); // an over-long value would end up, whole, in a driver error message
        ps.setLong(4, size);
        ps.setTimestamp(5, now());
    }

    /**
     * Device facts found by the classifier (not identifying: modality, vendor, model, SOP class), for a file whose
     * device is not sighted (no modality); a classified file's facts go with its sighting, in the transaction that
     * records its fate ({@link org.haven.classify.DeviceStore#sightedLater}).
     */
    public void classified(String fileId, Map<String, String> facts, String actor) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false); // the facts and their event: one commit
            try (PreparedStatement ps = c.prepareStatement("update haven_file set " + CLASSIFIED_COLUMNS + " where file_id = ?")) {
                ps.setString(bindClassified(ps, 1, facts), fileId);
                ps.executeUpdate();
                insertEvent(c, fileId, "classified", null, facts.get("deviceSignature"), actor);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static final String[] FACTS = {"modality", "manufacturer", "model", "software", "sopClass", "transferSyntax", "deviceSignature",
        "deviceId", "deviceRule", "profile", "project"};
    /** The classifier's columns of haven_file, in the order {@link #bindClassified} binds {@link #FACTS}. */
    public static final String CLASSIFIED_COLUMNS = "modality = ?, manufacturer = ?, model = ?, software = ?, sop_class_uid = ?,"
        + " transfer_syntax = ?, device_signature = ?, device_id = ?, device_rule = ?, profile = ?, project = ?";

    /** Binds the classifier's facts to {@link #CLASSIFIED_COLUMNS} from parameter {@code first}; returns the next index. */
    public static int bindClassified(PreparedStatement ps, int first, Map<String, String> facts) throws SQLException {
        for (int i = 0; i < FACTS.length; i++) ps.setString(first + i, truncate(facts.get(FACTS[i]), 300));
        return first + FACTS.length;
    }

    /** Exchange property: this attempt's audit events not yet written (see {@link #eventLater}). */
    public static final String PENDING_EVENTS = "HavenPendingEvents";

    /** An audit event held back until the file's fate (or its next queue) is recorded. */
    public record PendingEvent(String fileId, String event, String reason, String detail, String actor, Timestamp at) {}

    /** Exchange property: rows of other tables this attempt holds back with its events (see {@link #rowLater}). */
    public static final String PENDING_ROWS = "HavenPendingRows";

    /** A row of another table (the patient's file record) written in the transaction that records the file's fate. */
    @FunctionalInterface
    public interface PendingRow {
        void write(Connection c) throws SQLException;
    }

    /** What a journey holds back until its fate (or its next queue) is recorded: other tables' rows, then its events. */
    public record Journey(java.util.List<PendingRow> rows, java.util.List<PendingEvent> events) {
        public static final Journey NONE = new Journey(java.util.List.of(), java.util.List.of());

        boolean isEmpty() { return rows.isEmpty() && events.isEmpty(); }
    }

    /**
     * Records an audit event of a step in the middle of a file's journey with the next commit that must happen
     * anyway: the one that records the file's fate ({@link #decide}, from the release or the quarantine), or
     * {@link #flushEvents} before the file leaves for another queue. One commit per file instead of one per step;
     * an attempt that is rolled back leaves none of its events (the redelivery records them again).
     */
    public static void eventLater(org.apache.camel.Exchange exchange, String fileId, String event, String reason, String detail, String actor) {
        FileRecords.<PendingEvent>heldBack(exchange, PENDING_EVENTS).add(new PendingEvent(fileId, event, reason, detail, actor, now()));
    }

    /** The exchange's list of held-back writes under {@code property}, created on first use. */
    @SuppressWarnings("unchecked")
    private static <T> java.util.List<T> heldBack(org.apache.camel.Exchange exchange, String property) {
        java.util.List<T> list = exchange.getProperty(property, java.util.List.class);
        if (list == null) {
            list = new java.util.ArrayList<>();
            exchange.setProperty(property, list);
        }
        return list;
    }

    /**
     * Holds back a row of another table (the patient's file record, from the resolve stage) like {@link #eventLater}:
     * written in the transaction that records the file's fate, so no commit of its own, and a held or released file
     * never lacks it (an attempt rolled back leaves none; the redelivery writes it again).
     */
    public static void rowLater(org.apache.camel.Exchange exchange, PendingRow row) {
        FileRecords.<PendingRow>heldBack(exchange, PENDING_ROWS).add(row);
    }

    /** The held-back rows and events of this exchange, removed from it (they are written by the caller's transaction). */
    public static Journey takePending(org.apache.camel.Exchange exchange) {
        if (exchange == null) return Journey.NONE;
        Journey journey = pending(exchange);
        exchange.removeProperty(PENDING_ROWS);
        exchange.removeProperty(PENDING_EVENTS);
        return journey;
    }

    /** The held-back rows and events of this exchange, left on it (see {@link #takePending}). */
    @SuppressWarnings("unchecked")
    public static Journey pending(org.apache.camel.Exchange exchange) {
        java.util.List<PendingRow> rows = exchange.getProperty(PENDING_ROWS, java.util.List.class);
        java.util.List<PendingEvent> events = exchange.getProperty(PENDING_EVENTS, java.util.List.class);
        if (rows == null && events == null) return Journey.NONE;
        return new Journey(rows == null ? java.util.List.of() : java.util.List.copyOf(rows),
            events == null ? java.util.List.of() : java.util.List.copyOf(events));
    }

    /** Writes the held-back rows and events now, in one transaction (before the file leaves for another queue). */
    public void flushEvents(org.apache.camel.Exchange exchange) throws SQLException {
        Journey pending = takePending(exchange);
        if (pending.isEmpty()) return;
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                write(c, pending, null);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The journey's rows, then its events and {@code fate} (if any) in one batch. */
    private static void write(Connection c, Journey journey, PendingEvent fate) throws SQLException {
        for (PendingRow row : journey.rows()) row.write(c);
        java.util.List<PendingEvent> events = journey.events();
        if (fate != null) {
            events = new java.util.ArrayList<>(events);
            events.add(fate);
        }
        insertEvents(c, events);
    }

    private static void insertEvents(Connection c, java.util.List<PendingEvent> events) throws SQLException {
        if (events.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            for (PendingEvent e : events) {
                ps.setString(1, e.fileId());
                ps.setString(2, e.event());
                ps.setString(3, e.reason());
                ps.setString(4, truncate(e.detail(), 4000));
                ps.setString(5, e.actor());
                ps.setTimestamp(6, e.at());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void event(String fileId, String event, String reason, String detail, String actor) throws SQLException {
        try (Connection c = store.connection()) {
            insertEvent(c, fileId, event, reason, detail, actor);
        }
    }

    /**
     * A hold is about to move the original into the quarantine as {@code reason}: recorded (event {@code holding})
     * before the move, so that a redelivery after a crash between the move and {@link #decide} can finish the same
     * hold instead of running its stage again on a staged file that is gone ({@link #interruptedHold}).
     */
    public void holding(String fileId, String reason, String detail, String actor) throws SQLException {
        holding(fileId, reason, detail, actor, Journey.NONE);
    }

    /**
     * {@link #holding(String, String, String, String)} with the journey's held-back rows and events (the device
     * sighting, the patient's file record) in the same commit, so that a hold a crash cuts short after the move
     * still has them when its fate is recorded ({@link StageGuard#finishInterruptedHold}).
     */
    public void holding(String fileId, String reason, String detail, String actor, Journey journey) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                write(c, journey, new PendingEvent(fileId, "holding", reason, detail, actor, now()));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The last hold begun for a file (outcome "quarantined", its reason and detail; no location), if any. */
    public Optional<Outcome> lastHolding(String fileId) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement(
                 "select reason, detail from file_event where file_id = ? and event = 'holding' order by id desc fetch first 1 rows only")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Outcome("quarantined", rs.getString(1), rs.getString(2), null)) : Optional.empty();
            }
        }
    }

    /** Files with no fate whose hold has begun: at start-up, the holds a crash may have cut short after the move. */
    public java.util.List<String> undecidedWithHoldBegun() throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select i.file_id from file_in_flight i where exists"
                 + " (select 1 from file_event e where e.file_id = i.file_id and e.event = 'holding')");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    /**
     * Records the file's fate. Returns false when a fate was already recorded (a redelivered message): the caller
     * must then do nothing more.
     */
    public boolean decide(String fileId, String outcome, String reason, String detail, String location, String actor) throws SQLException {
        return decide(fileId, outcome, reason, detail, location, actor, Journey.NONE);
    }

    /** {@link #decide}, writing {@code before} (the journey's held-back rows and events, {@link #takePending}) in the same transaction. */
    public boolean decide(String fileId, String outcome, String reason, String detail, String location, String actor,
                          Journey before) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                decide(c, fileId, outcome, reason, detail, location, actor, before);
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (Store.isDuplicateKey(e)) return false;
                if (!isMissingParent(e) || !reconcile(c, fileId, actor)) throw e;
            }
        }
        return decide(fileId, outcome, reason, detail, location, actor, before);
    }

    /**
     * {@link #decide} inside the caller's transaction (the release claim's lock, {@link #underClaimLock}): the
     * journey's held-back events, the fate and its event. A fate already recorded fails on the primary key
     * ({@link Store#isDuplicateKey}), a missing file record on its foreign key ({@link #isMissingParent}, then
     * {@link #reconcile(String, String)}); either way the caller's transaction must be rolled back.
     */
    public void decide(Connection c, String fileId, String outcome, String reason, String detail, String location, String actor,
                       Journey before) throws SQLException {
        write(c, before, new PendingEvent(fileId, outcome, reason, detail, actor, now())); // one batch: the journey's events and the fate's own
        try (PreparedStatement ps = c.prepareStatement(INSERT_OUTCOME)) {
            ps.setString(1, fileId);
            ps.setString(2, outcome);
            ps.setString(3, reason);
            ps.setString(4, truncate(detail, 4000));
            ps.setString(5, location);
            ps.setTimestamp(6, now());
            ps.setString(7, actor);
            ps.executeUpdate();
        }
        FateCounts.arrived(c, fileId, outcome, reason);
        leaveFlight(c, fileId);
    }

    /**
     * A file enters the files in flight (table {@code file_in_flight}): at its receive, and wherever its fate is taken
     * away again (relink, review, device replay), in the same transaction. Its received time is the record's. Nothing
     * happens when it is listed already (a store that lost the file's record but not this row: see reconcile).
     */
    public static void enterFlight(Connection c, String fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into file_in_flight (file_id, received_at) select f.file_id, f.received_at"
                + " from haven_file f where f.file_id = ? and not exists (select 1 from file_in_flight i where i.file_id = f.file_id)")) {
            ps.setString(1, fileId);
            ps.executeUpdate();
        }
    }

    /** A file leaves the files in flight: with its fate, in the same transaction. */
    public static void leaveFlight(Connection c, String fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from file_in_flight where file_id = ?")) {
            ps.setString(1, fileId);
            ps.executeUpdate();
        }
    }

    private static final String INSERT_OUTCOME =
        "insert into file_outcome (file_id, outcome, reason, detail, location, decided_at, node) values (?, ?, ?, ?, ?, ?, ?)";

    /** Re-creates a missing file record (see {@link #decide(Connection, String, String, String, String, String, String, java.util.List)}). */
    public void reconcile(String fileId, String actor) throws SQLException {
        try (Connection c = store.connection()) {
            reconcile(c, fileId, actor);
        }
    }

    /** A foreign-key violation: the file's own record is missing (a store restored from backup, or one that lost rows). */
    public static boolean isMissingParent(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23503".equals(s.getSQLState()) || "23506".equals(s.getSQLState())) return true;
        }
        return false;
    }

    /**
     * Re-creates the record of a file the store does not know (its message outlived its row) so its fate can be
     * recorded, instead of failing on the foreign key for ever. Returns false when the record exists after all.
     */
    private static boolean reconcile(Connection c, String fileId, String actor) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into haven_file (file_id, board, source_path, size_bytes, received_at) values (?, ?, ?, ?, ?)")) {
            ps.setString(1, fileId);
            ps.setString(2, "unknown-board");
            ps.setString(3, "reconciled: the store had no record of this file");
            ps.setLong(4, -1);
            ps.setTimestamp(5, now());
            ps.executeUpdate();
            enterFlight(c, fileId);
            insertEvent(c, fileId, "reconciled", null, "record re-created: a message for this file outlived its store row", actor);
            return true;
        } catch (SQLException e) {
            if (Store.isDuplicateKey(e)) return false;
            throw e;
        }
    }

    /** The release paths this file holds claims on (normally none once it is decided, one while it is being released). */
    public List<String> releaseClaimsOf(String fileId) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select location from released_instance where file_id = ?")) {
            ps.setString(1, fileId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Gives up a release path claimed by this file (its release was rolled back). */
    public void releaseClaim(String location, String fileId) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("delete from released_instance where location = ? and file_id = ?")) {
            ps.setString(1, location);
            ps.setString(2, fileId);
            ps.executeUpdate();
        }
    }

    /** Work done while holding the lock on one release claim; {@code holder} is the file that holds it now. */
    public interface ClaimWork<T> {
        T run(Connection c, String holder) throws IOException, SQLException;
    }

    /**
     * Runs {@code work} in one transaction holding a row lock on the release claim {@code location} (which must
     * exist), so that two files of one instance never move onto the release path at the same time. Committed when
     * {@code work} returns, rolled back when it throws.
     */
    public <T> T underClaimLock(String location, ClaimWork<T> work) throws IOException, SQLException {
        return inTransaction(c -> work.run(c, lockClaim(c, location)));
    }

    /**
     * {@link #underClaimLock} that first claims {@code location} for {@code fileId} (recording the transfer syntax it
     * arrived in, when not null) if no file holds it: the new claim is then committed with what {@code work} writes
     * (the fate: one commit per released file), and another file of the same instance claiming the path at the same
     * moment waits for that commit (both H2 and PostgreSQL wait on an uncommitted key) and finds this file the holder.
     */
    public <T> T claimUnderLock(String location, String fileId, String transferSyntax, ClaimWork<T> work) throws IOException, SQLException {
        return inTransaction(c -> work.run(c, insertClaim(c, location, fileId, transferSyntax) ? fileId : lockClaim(c, location)));
    }

    /**
     * Runs {@code work} only while no file holds a claim on {@code location}, holding the path's lock meanwhile (a
     * claim for {@code fileId} inserted and rolled back after {@code work}: a release of that path in flight is waited
     * for). Empty when a file holds the claim, {@code work} not run.
     */
    public <T> Optional<T> whileUnclaimed(String location, String fileId, PathWork<T> work) throws IOException, SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                return insertClaim(c, location, fileId, null) ? Optional.of(work.run()) : Optional.empty();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /** Work on a release path's files (see {@link #whileUnclaimed}). */
    public interface PathWork<T> {
        T run() throws IOException;
    }

    private interface Work<T> {
        T run(Connection c) throws IOException, SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws IOException, SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (IOException | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Inserts a new claim; false (the transaction still usable) when another file or an earlier delivery holds it. */
    private static boolean insertClaim(Connection c, String location, String fileId, String transferSyntax) throws SQLException {
        Savepoint beforeClaim = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("insert into released_instance (location, file_id, claimed_at) values (?, ?, ?)")) {
            ps.setString(1, location);
            ps.setString(2, fileId);
            ps.setTimestamp(3, now());
            ps.executeUpdate();
        } catch (SQLException e) {
            c.rollback(beforeClaim); // PostgreSQL: the failed insert would otherwise abort the whole transaction
            if (Store.isDuplicateKey(e)) return false;
            throw e;
        }
        if (transferSyntax != null) {
            try (PreparedStatement ps = c.prepareStatement("update haven_file set transfer_syntax = ? where file_id = ?")) {
                ps.setString(1, truncate(transferSyntax, 300));
                ps.setString(2, fileId);
                ps.executeUpdate();
            }
        }
        return true;
    }

    private static String lockClaim(Connection c, String location) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select file_id from released_instance where location = ? for update")) {
            ps.setString(1, location);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("release claim vanished for a file");
                return rs.getString(1);
            }
        }
    }

    /**
     * Inside {@link #underClaimLock}: the claim passes to {@code winner}; a loser already released becomes
     * quarantined as duplicate-instance (at {@code loserLocation}) with an audit event. Returns whether the loser had
     * been released (false: it is still in flight and will find the claim taken).
     */
    public boolean supersede(Connection c, String location, String loser, String winner, String detail, String loserLocation, String actor)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update released_instance set file_id = ?, claimed_at = ? where location = ?")) {
            ps.setString(1, winner);
            ps.setTimestamp(2, now());
            ps.setString(3, location);
            ps.executeUpdate();
        }
        int n;
        try (PreparedStatement ps = c.prepareStatement("update file_outcome set outcome = 'quarantined', reason = 'duplicate-instance',"
                + " detail = ?, location = ?, decided_at = ?, node = ? where file_id = ? and outcome = 'released'")) {
            ps.setString(1, truncate(detail, 4000));
            ps.setString(2, loserLocation);
            ps.setTimestamp(3, now());
            ps.setString(4, actor);
            ps.setString(5, loser);
            n = ps.executeUpdate();
        }
        if (n > 0) {
            FateCounts.left(c, loser, "released", null);
            FateCounts.arrived(c, loser, "quarantined", "duplicate-instance");
            insertEvent(c, loser, "superseded", "duplicate-instance", detail, actor);
        }
        return n > 0;
    }

    /**
     * {@code winner} begins to replace the release at {@code location} (event {@code superseding}, committed on its
     * own before any file moves), so that a supersede a crash cuts short before its commit can be put back
     * ({@link SupersededCopies}) when the winner is held or the node restarts.
     */
    public void supersedeBegun(String winner, String location, String actor) throws SQLException {
        event(winner, "superseding", null, location, actor);
    }

    /** The release paths this file began to supersede. */
    public List<String> supersedesBegunBy(String fileId) throws SQLException {
        return strings("select distinct detail from file_event where file_id = ? and event = 'superseding'", fileId);
    }

    /** The release paths files with no fate began to supersede: at start-up, the supersedes a crash may have cut short. */
    public List<String> supersedesBegunByUndecided() throws SQLException {
        return strings("select distinct e.detail from file_in_flight i join file_event e on e.file_id = i.file_id and e.event = 'superseding'");
    }

    /** The file holding the claim on a release path, if any. */
    public Optional<String> claimHolder(String location) throws SQLException {
        List<String> holder = strings("select file_id from released_instance where location = ?", location);
        return holder.stream().findFirst();
    }

    private List<String> strings(String sql, String... parameters) throws SQLException {
        try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setString(i + 1, parameters[i]);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Whether the file's recorded fate is released (inside a transaction). */
    public boolean isReleased(Connection c, String fileId) throws SQLException {
        return outcome(c, fileId).map(o -> o.outcome().equals("released")).orElse(false);
    }

    /** The transfer syntax the file arrived in (recorded by classify), or null. */
    public String transferSyntax(String fileId) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select transfer_syntax from haven_file where file_id = ?")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public record Outcome(String outcome, String reason, String detail, String location) {
        /** Where the file is released, or null when its fate is not a release. */
        public String releasedAt() { return "released".equals(outcome) ? location : null; }
    }

    public Optional<Outcome> outcome(String fileId) throws SQLException {
        try (Connection c = store.connection()) {
            return outcome(c, fileId);
        }
    }

    /** The file's fate as the caller's connection (and transaction) sees it. */
    public static Optional<Outcome> outcome(Connection c, String fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select outcome, reason, detail, location from file_outcome where file_id = ?")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Outcome(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))) : Optional.empty();
            }
        }
    }

    /**
     * Outcome counts, e.g. {"released": 10, "quarantined:unreadable": 2}: over the given files, or over the whole
     * store when {@code fileIds} is null (a batch run's own store: one aggregate query instead of reading every row).
     */
    public Map<String, Integer> summary(java.util.Collection<String> fileIds) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        String sql = fileIds == null
            ? "select outcome, reason, count(*) from file_outcome group by outcome, reason order by outcome, reason"
            : "select outcome, reason, file_id from file_outcome order by outcome, reason";
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (fileIds != null && !fileIds.contains(rs.getString(3))) continue;
                String key = rs.getString(2) == null ? rs.getString(1) : rs.getString(1) + ":" + rs.getString(2);
                counts.merge(key, fileIds == null ? rs.getInt(3) : 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Appends one audit event inside the caller's connection (and transaction). Details never hold identifying values. */
    public static void insertEvent(Connection c, String fileId, String event, String reason, String detail, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            ps.setString(1, fileId);
            ps.setString(2, event);
            ps.setString(3, reason);
            ps.setString(4, truncate(detail, 4000));
            ps.setString(5, actor);
            ps.setTimestamp(6, now());
            ps.executeUpdate();
        }
    }

    private static final String INSERT_EVENT = "insert into file_event (file_id, event, reason, detail, actor, at) values (?, ?, ?, ?, ?, ?)";

    private static Timestamp now() { return Timestamp.from(Instant.now()); }

    private static String truncate(String s, int max) { return s == null || s.length() <= max ? s : s.substring(0, max); }
}

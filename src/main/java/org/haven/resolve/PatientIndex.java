package org.haven.resolve;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import org.haven.identifiers.ChiNumber;
import org.haven.store.Store;

/**
 * The patient index in the store: {@code (issuer, local id) → CHI}, for hospital numbers whose files carry no CHI.
 * Loaded from CSV ({@code issuer,local_id,chi}); a file with any bad row imports nothing, and every bad row is
 * reported with its line number (never its values: they identify people). A re-import updates existing rows.
 */
public final class PatientIndex {
    private final Store store;

    public PatientIndex(Store store) { this.store = store; }

    public Optional<String> chiFor(String issuer, String localId) throws SQLException {
        if (localId.isEmpty()) return Optional.empty();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select chi from patient_index where issuer = ? and local_id = ?")) {
            ps.setString(1, issuer);
            ps.setString(2, localId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** One valid CSV row, normalised. */
    public record Row(int line, String issuer, String localId, String chi) {}

    /** What an import did; {@code errors} non-empty means nothing was written. */
    public record ImportResult(int rows, int added, int updated, int unchanged, List<String> errors) {}

    /** Validates the whole file, then (only if every row is good) writes it in one transaction. */
    public ImportResult importCsv(Path csv) throws IOException, SQLException {
        List<String> errors = new ArrayList<>();
        List<Row> rows = parse(csv, errors);
        if (!errors.isEmpty()) return new ImportResult(rows.size(), 0, 0, 0, errors);
        int added = 0;
        int updated = 0;
        int unchanged = 0;
        Timestamp now = Timestamp.from(Instant.now());
        String source = csv.getFileName().toString();
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement find = c.prepareStatement("select chi from patient_index where issuer = ? and local_id = ?");
                 PreparedStatement update = c.prepareStatement("update patient_index set chi = ?, source = ?, updated_at = ? where issuer = ? and local_id = ?");
                 PreparedStatement insert = c.prepareStatement("insert into patient_index (issuer, local_id, chi, source, updated_at) values (?, ?, ?, ?, ?)")) {
                for (Row r : rows) {
                    find.setString(1, r.issuer());
                    find.setString(2, r.localId());
                    String old;
                    try (ResultSet rs = find.executeQuery()) {
                        old = rs.next() ? rs.getString(1) : null;
                    }
                    if (r.chi().equals(old)) {
                        unchanged++;
                    } else if (old != null) {
                        update.setString(1, r.chi());
                        update.setString(2, source);
                        update.setTimestamp(3, now);
                        update.setString(4, r.issuer());
                        update.setString(5, r.localId());
                        update.executeUpdate();
                        updated++;
                    } else {
                        insert.setString(1, r.issuer());
                        insert.setString(2, r.localId());
                        insert.setString(3, r.chi());
                        insert.setString(4, source);
                        insert.setTimestamp(5, now);
                        insert.executeUpdate();
                        added++;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new ImportResult(rows.size(), added, updated, unchanged, errors);
    }

    /** Reads and validates every row; problems go to {@code errors} as "FILE:LINE: problem". */
    static List<Row> parse(Path csv, List<String> errors) throws IOException {
        List<Row> rows = new ArrayList<>();
        Map<String, Row> seen = new LinkedHashMap<>();
        String name = csv.toString();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header != null && header.startsWith("\uFEFF")) header = header.substring(1);
            if (header == null || !Csv.split(header).stream().map(s -> s.trim().toLowerCase()).toList().equals(List.of("issuer", "local_id", "chi"))) {
                errors.add(name + ":1: the header must be issuer,local_id,chi");
                return rows;
            }
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                List<String> f;
                try {
                    f = Csv.split(line);
                } catch (IllegalArgumentException e) {
                    errors.add(name + ":" + n + ": " + e.getMessage());
                    continue;
                }
                if (f.size() != 3) {
                    errors.add(name + ":" + n + ": expected 3 fields (issuer,local_id,chi), found " + f.size());
                    continue;
                }
                String issuer = IdentityRules.normaliseIssuer(f.get(0));
                String local = IdentityRules.normaliseLocalId(f.get(1));
                String chi = f.get(2).replaceAll("\\s+", "");
                if (issuer.isEmpty()) errors.add(name + ":" + n + ": issuer is empty");
                else if (issuer.length() > 64) errors.add(name + ":" + n + ": issuer is longer than 64 characters");
                if (local.isEmpty()) errors.add(name + ":" + n + ": local_id is empty");
                else if (local.length() > 64) errors.add(name + ":" + n + ": local_id is longer than 64 characters");
                if (!ChiNumber.isValid(chi)) errors.add(name + ":" + n + ": chi is not a valid CHI number (10 digits, date, check digit)");
                if (issuer.isEmpty() || local.isEmpty() || issuer.length() > 64 || local.length() > 64 || !ChiNumber.isValid(chi)) continue;
                Row row = new Row(n, issuer, local, chi);
                Row before = seen.putIfAbsent(issuer + "|" + local, row);
                if (before != null) {
                    if (!before.chi().equals(chi)) {
                        errors.add(name + ":" + n + ": the same issuer and local_id as line " + before.line() + " with a different chi");
                    }
                    continue;
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Number of rows in the index (for reports). */
    public long size() throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from patient_index");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

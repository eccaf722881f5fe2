package org.haven.resolve;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.haven.identifiers.ChiNumber;
import org.haven.store.Store;

/**
 * What the linkage team receives for a project: one row per pseudonym with the person's CHI, every issuer and
 * local id seen for them, the boards, first and last (original) study date and number of released files, and the
 * row's status: {@code resolved} (keyed by CHI), {@code unresolved} (keyed by issuer and local id: no CHI known),
 * {@code merged} (was unresolved, the local id has since resolved: {@code merged_into} names the person's
 * pseudonym), {@code legacy} (issued before identity resolution, keyed by issuer and PatientID).
 */
public final class LinkageExport {
    public static final String HEADER = "project,chi,pseudonym,status,merged_into,issuers_local_ids,boards,first_study_date,last_study_date,file_count";

    private final Store store;

    public LinkageExport(Store store) { this.store = store; }

    /** Projects with a mapping in the store. */
    public TreeSet<String> projects() throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select distinct project from pseudonym");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static final class Row {
        String chi;
        String pseudonym;
        String status;
        String mergedInto = "";
        final TreeSet<String> ids = new TreeSet<>();
        final TreeSet<String> boards = new TreeSet<>();
        String first;
        String last;
        int files;
    }

    public List<String> rows(String project) throws SQLException {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (Connection c = store.connection()) {
            try (PreparedStatement ps = c.prepareStatement("select pseudonym, patient_key, chi, status from pseudonym where project = ? order by pseudonym")) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row r = new Row();
                        r.pseudonym = rs.getString(1);
                        String key = rs.getString(2);
                        r.chi = rs.getString(3);
                        r.status = rs.getString(4);
                        if (r.status == null) {
                            r.status = "legacy";
                            if (key.startsWith("CHI|") && ChiNumber.isValid(key.substring(4))) r.chi = key.substring(4);
                        }
                        if (!"resolved".equals(r.status)) r.ids.add(key.replaceFirst("\\|", ":"));
                        rows.put(r.pseudonym, r);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select unresolved_pseudonym, resolved_pseudonym from patient_relink where project = ?")) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row r = rows.get(rs.getString(1));
                        if (r != null) r.mergedInto = rs.getString(2);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select f.pseudonym, f.issuer, f.local_id, f.board, f.study_date,"
                + " case when o.outcome = 'released' then 1 else 0 end from patient_file f"
                + " left join file_outcome o on o.file_id = f.file_id where f.project = ? and f.pseudonym is not null")) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row r = rows.get(rs.getString(1));
                        if (r == null) continue;
                        if (rs.getString(3) != null && !rs.getString(3).isEmpty()) r.ids.add(nz(rs.getString(2)) + ":" + rs.getString(3));
                        if (rs.getString(4) != null) r.boards.add(rs.getString(4));
                        if (rs.getInt(6) == 1) {
                            r.files++;
                            String d = rs.getString(5);
                            if (d != null) {
                                if (r.first == null || d.compareTo(r.first) < 0) r.first = d;
                                if (r.last == null || d.compareTo(r.last) > 0) r.last = d;
                            }
                        }
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (Row r : rows.values()) {
            out.add(String.join(",", Csv.field(project), nz(r.chi), r.pseudonym, r.status, r.mergedInto, Csv.field(String.join(";", r.ids)),
                Csv.field(String.join(";", r.boards)), nz(r.first), nz(r.last), String.valueOf(r.files)));
        }
        return out;
    }

    /** Writes the export readable by its owner only (0600), replacing {@code out} atomically. */
    public static void write(Path out, List<String> rows) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".mapping", ".part", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot make the export owner-only on this file system: not written", e);
        }
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(HEADER + "\n");
                for (String row : rows) w.write(row + "\n");
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String nz(String s) { return s == null ? "" : s; }
}

package org.haven.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading project pseudonym mappings. Allocation (a deterministic keyed proposal recorded once; the stored value
 * wins, concurrent workers converge on the primary key, two people proposing the same pseudonym fail closed) is
 * {@link org.haven.resolve.IdentityStore#allocate}, which also records the person's CHI and resolution status.
 */
public final class Pseudonyms {
    private final Store store;

    public Pseudonyms(Store store) { this.store = store; }

    public Optional<String> find(String project, String patientKey) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("select pseudonym from pseudonym where project = ? and patient_key = ?")) {
            ps.setString(1, project);
            ps.setString(2, patientKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public record Mapping(String patientKey, String pseudonym, Instant createdAt) {}

    /** The whole mapping of a project, for the linkage team. */
    public List<Mapping> export(String project) throws SQLException {
        List<Mapping> out = new ArrayList<>();
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement(
                 "select patient_key, pseudonym, created_at from pseudonym where project = ? order by pseudonym")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Mapping(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
            }
        }
        return out;
    }

    /** Two patients hashed to the same pseudonym in one project: never release, quarantine instead. */
    public static final class PseudonymCollisionException extends RuntimeException {
        public PseudonymCollisionException(String project) { super("pseudonym collision in project " + project); }
    }
}

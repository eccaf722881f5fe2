package org.haven.resolve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.haven.config.YamlNode;

/**
 * {@code config/patients.yaml}: how each board labels its patient identifiers, and what happens to a file whose
 * person has no CHI. Validated at start-up; a bad file stops Haven with {@code file:line: problem}.
 *
 * <pre>
 * unresolved: pseudonymise          # default for projects not listed: hold | pseudonymise
 * projects:
 *   - project: diabetes-linkage
 *     linkage: true                 # no CHI → held as unresolved-patient (unless `unresolved:` says otherwise)
 * boards:
 *   - board: tayside                # the inbox folder / HavenBoard
 *     default-issuer: NHS TAYSIDE   # issuer of PatientIDs sent without IssuerOfPatientID
 *     chi-issuers: [CHI]            # IssuerOfPatientID values that mean "this is a CHI number"
 *     local-issuers: [NHS TAYSIDE]  # issuers of hospital numbers only: never read as a CHI, even if one validates
 * </pre>
 */
public final class IdentityRules {
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    public enum Unresolved {
        HOLD, PSEUDONYMISE;

        static Unresolved parse(YamlNode n) {
            return switch (n.text().trim().toLowerCase(Locale.ROOT)) {
                case "hold" -> HOLD;
                case "pseudonymise", "pseudonymize" -> PSEUDONYMISE;
                default -> throw n.fail("'unresolved' must be hold or pseudonymise, not '" + n.text() + "'");
            };
        }
    }

    /** A board's conventions. Issuers are normalised (trimmed, upper case). */
    public record Board(String board, String defaultIssuer, Set<String> chiIssuers, Set<String> localIssuers) {}

    /** Issuers that mean CHI on every board unless a board says otherwise. */
    static final Set<String> STANDARD_CHI_ISSUERS = Set.of("CHI", "NHS SCOTLAND CHI", "SCOTLAND CHI", "CHI NUMBER");

    private final Unresolved defaultPolicy;
    private final Map<String, Unresolved> projectPolicy;
    private final Set<String> linkageProjects;
    private final Map<String, Board> boards;

    private IdentityRules(Unresolved defaultPolicy, Map<String, Unresolved> projectPolicy, Set<String> linkageProjects,
                          Map<String, Board> boards) {
        this.defaultPolicy = defaultPolicy;
        this.projectPolicy = projectPolicy;
        this.linkageProjects = linkageProjects;
        this.boards = boards;
    }

    /** No file: every board on the standard conventions, unresolved patients pseudonymised by issuer and local id. */
    public static IdentityRules defaults() {
        return new IdentityRules(Unresolved.PSEUDONYMISE, Map.of(), Set.of(), Map.of());
    }

    public static IdentityRules load(Path file) {
        if (!Files.isRegularFile(file)) return defaults();
        YamlNode root = YamlNode.load(file);
        root.allowOnly(List.of("unresolved", "projects", "boards"));
        Unresolved def = root.get("unresolved").map(Unresolved::parse).orElse(Unresolved.PSEUDONYMISE);
        Map<String, Unresolved> policy = new HashMap<>();
        Set<String> linkage = new LinkedHashSet<>();
        for (YamlNode p : root.get("projects").map(YamlNode::list).orElse(List.of())) {
            p.allowOnly(List.of("project", "linkage", "unresolved"));
            String name = p.requireString("project").trim();
            if (policy.containsKey(name) || linkage.contains(name)) throw p.fail("project '" + name + "' is listed twice");
            boolean isLinkage = p.bool("linkage", false);
            if (isLinkage) linkage.add(name);
            Unresolved u = p.get("unresolved").map(Unresolved::parse).orElse(isLinkage ? Unresolved.HOLD : def);
            policy.put(name, u);
        }
        Map<String, Board> boards = new HashMap<>();
        for (YamlNode b : root.get("boards").map(YamlNode::list).orElse(List.of())) {
            b.allowOnly(List.of("board", "default-issuer", "chi-issuers", "local-issuers"));
            String name = b.requireString("board").trim();
            if (boards.containsKey(name)) throw b.fail("board '" + name + "' is listed twice");
            Set<String> chi = issuers(b, "chi-issuers");
            Set<String> local = issuers(b, "local-issuers");
            for (String i : chi) {
                if (local.contains(i)) throw b.fail("issuer '" + i + "' is both a CHI issuer and a local issuer");
            }
            String defaultIssuer = normaliseIssuer(b.string("default-issuer", ""));
            if (defaultIssuer.length() > 64) throw b.fail("default-issuer is longer than 64 characters");
            boards.put(name, new Board(name, defaultIssuer, chi, local));
        }
        return new IdentityRules(def, Map.copyOf(policy), Set.copyOf(linkage), Map.copyOf(boards));
    }

    private static Set<String> issuers(YamlNode board, String key) {
        Set<String> out = new LinkedHashSet<>();
        if (board.get(key).isEmpty()) return out;
        for (String s : board.get(key).get().strings()) {
            String n = normaliseIssuer(s);
            if (n.isEmpty()) throw board.get(key).get().fail("'" + key + "' holds an empty issuer");
            out.add(n);
        }
        return out;
    }

    public static String normaliseIssuer(String issuer) { return issuer == null ? "" : issuer.trim().toUpperCase(Locale.ROOT); }

    public static String normaliseLocalId(String id) { return id == null ? "" : WHITESPACE.matcher(id).replaceAll("").toUpperCase(Locale.ROOT); }

    public Unresolved policy(String project) { return projectPolicy.getOrDefault(project, defaultPolicy); }

    public boolean isLinkage(String project) { return linkageProjects.contains(project); }

    /** Projects named in the file (known even before any file of theirs was released). */
    public Set<String> projects() { return projectPolicy.keySet(); }

    public Board board(String board) {
        Board b = boards.get(board);
        return b != null ? b : new Board(board, "", Set.of(), Set.of());
    }

    /** Whether an identifier with this issuer may be read as a CHI number (when it validates as one). */
    public boolean mayBeChi(String board, String issuer) {
        Board b = board(board);
        String i = normaliseIssuer(issuer);
        return i.isEmpty() || !b.localIssuers().contains(i);
    }

    /** Whether the issuer says its identifiers are CHI numbers (a value that fails the check is then noted). */
    public boolean isChiIssuer(String board, String issuer) {
        String i = normaliseIssuer(issuer);
        return board(board).chiIssuers().contains(i) || STANDARD_CHI_ISSUERS.contains(i);
    }

    /** The issuer under which a local id is looked up and pseudonymised: the one sent, or the board's default. */
    public String issuerFor(String board, String issuer) {
        String i = normaliseIssuer(issuer);
        return i.isEmpty() ? board(board).defaultIssuer() : i;
    }
}

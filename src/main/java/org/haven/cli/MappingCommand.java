package org.haven.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import org.haven.app.Settings;
import org.haven.resolve.IdentityRules;
import org.haven.resolve.IdentityStore;
import org.haven.resolve.LinkageExport;
import org.haven.store.Store;

/**
 * {@code ./run.sh mapping export --project P --out FILE --reason WHY}: the project's mapping for the linkage team
 * (org.haven.resolve.LinkageExport: CHI, pseudonym, status, issuers and local ids, boards, study dates, files).
 * It holds identifiers: it is written owner-only (0600), and every export is recorded in the audit trail
 * ({@code audit_event}: who, which project, why, how many rows). An unknown project is an error that lists the known
 * ones. Nothing is logged.
 */
public final class MappingCommand implements Command {
    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("export")) throw new UsageException("expected: export --project P --out FILE --reason WHY");
        String project = null;
        Path out = null;
        String reason = null;
        for (int i = 1; i < args.size(); i++) {
            if (i + 1 >= args.size()) throw new UsageException(args.get(i) + " needs a value");
            switch (args.get(i)) {
                case "--project" -> project = args.get(++i);
                case "--out" -> out = Path.of(args.get(++i));
                case "--reason" -> reason = args.get(++i);
                default -> throw new UsageException("unknown option " + args.get(i));
            }
        }
        if (project == null) throw new UsageException("--project is required");
        if (out == null) throw new UsageException("--out FILE is required (the export is written owner-only)");
        if (reason == null || reason.isBlank()) throw new UsageException("--reason is required (recorded in the audit trail)");
        Settings settings = CommandContext.settings();
        try (Store store = CommandContext.openStore(settings)) {
            LinkageExport export = new LinkageExport(store);
            TreeSet<String> known = export.projects();
            known.addAll(IdentityRules.load(settings.path("haven.patients")).projects());
            if (!known.contains(project)) {
                System.err.println("mapping: unknown project '" + project + "'; known projects: "
                    + (known.isEmpty() ? "(none yet)" : String.join(", ", known)));
                return 1;
            }
            List<String> rows = export.rows(project);
            LinkageExport.write(out, rows);
            String who = System.getProperty("user.name", "unknown");
            new IdentityStore(store).audit("mapping-export", "cli:" + who, project, reason,
                rows.size() + " rows written to " + out.toAbsolutePath());
            System.err.println("mapping: " + rows.size() + " pseudonyms of project " + project + " written to " + out + " (owner-only); export recorded");
        }
        return 0;
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

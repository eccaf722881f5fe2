package org.haven.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.haven.app.Settings;
import org.haven.store.Pseudonyms;
import org.haven.store.Store;

/**
 * {@code ./run.sh mapping export --project P [--out FILE]}: the project's pseudonym mapping as CSV
 * (issuer|patient id, pseudonym, first issued) for the linkage team. It holds identifiers: write it only inside the
 * safe haven. Nothing is logged.
 */
public final class MappingCommand implements Command {
    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("export")) throw new UsageException("expected: export --project P [--out FILE]");
        String project = null;
        Path out = null;
        for (int i = 1; i < args.size(); i++) {
            if (i + 1 >= args.size()) throw new UsageException(args.get(i) + " needs a value");
            switch (args.get(i)) {
                case "--project" -> project = args.get(++i);
                case "--out" -> out = Path.of(args.get(++i));
                default -> throw new UsageException("unknown option " + args.get(i));
            }
        }
        if (project == null) throw new UsageException("--project is required");
        Settings settings = Settings.load(Path.of("config/haven.properties"), System.getenv(), Map.of());
        try (Store store = Store.open(settings.get("haven.db.url"), settings.get("haven.db.user"), settings.get("haven.db.password"), 2)) {
            List<Pseudonyms.Mapping> rows = new Pseudonyms(store).export(project);
            try (PrintStream ps = out == null ? new PrintStream(System.out, false) : new PrintStream(org.haven.store.OwnerOnly.newFile(out))) {
                ps.println("patient_key,pseudonym,created_at");
                for (Pseudonyms.Mapping m : rows) ps.println(csv(m.patientKey()) + "," + m.pseudonym() + "," + m.createdAt());
                ps.flush();
            }
            System.err.println("mapping: " + rows.size() + " patients in project " + project + (out == null ? "" : " written to " + out));
        }
        return 0;
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

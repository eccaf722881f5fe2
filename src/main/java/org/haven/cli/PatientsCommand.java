package org.haven.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.haven.app.SecretKey;
import org.haven.app.Settings;
import org.haven.resolve.ExternalIndex;
import org.haven.resolve.IdentityRules;
import org.haven.resolve.IdentityStore;
import org.haven.resolve.PatientIndex;
import org.haven.resolve.Relinker;
import org.haven.resolve.Resolver;
import org.haven.store.Store;

/**
 * {@code ./run.sh patients import FILE.csv} loads the patient index ({@code issuer,local_id,chi}; every bad row is
 * reported with its line, and then nothing is imported; a re-import updates rows).
 * {@code ./run.sh patients relink-report [--reissue]} lists the unresolved pseudonyms whose local id has since
 * resolved to a person, and with {@code --reissue} asks the running nodes to re-issue their files under the
 * person's pseudonym. Values (CHI, local ids) are printed only by relink-report, for the safe haven's staff.
 */
public final class PatientsCommand implements Command {
    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty()) throw new UsageException("expected: import FILE.csv | relink-report [--reissue]");
        Settings settings = CommandContext.settings();
        return switch (args.get(0)) {
            case "import" -> {
                if (args.size() != 2) throw new UsageException("expected: import FILE.csv");
                yield importIndex(settings, Path.of(args.get(1)));
            }
            case "relink-report" -> {
                boolean reissue = args.size() == 2 && args.get(1).equals("--reissue");
                if (args.size() > 2 || (args.size() == 2 && !reissue)) throw new UsageException("expected: relink-report [--reissue]");
                yield relinkReport(settings, reissue);
            }
            default -> throw new UsageException("unknown subcommand " + args.get(0) + " (import, relink-report)");
        };
    }


    private int importIndex(Settings settings, Path csv) throws Exception {
        if (!Files.isRegularFile(csv)) throw new UsageException("no such file: " + csv);
        try (Store store = CommandContext.openStore(settings)) {
            PatientIndex.ImportResult r = new PatientIndex(store).importCsv(csv);
            if (!r.errors().isEmpty()) {
                r.errors().forEach(System.err::println);
                System.err.println("patients import: " + r.errors().size() + " problems; nothing imported");
                return 1;
            }
            System.out.println("patients import: " + r.rows() + " rows: " + r.added() + " added, " + r.updated() + " updated, "
                + r.unchanged() + " unchanged");
            detect(settings, store); // or a running node, whichever is first
            long pending = new IdentityStore(store).relinks().stream().filter(x -> x.reissuedAt() == null).count();
            if (pending > 0) {
                System.out.println("patients import: " + pending + " pseudonyms issued unresolved now resolve to a person and await re-issue:"
                    + " see ./run.sh patients relink-report");
            }
            return 0;
        }
    }

    /** Records merges now if the key is at hand; otherwise a running node does it within seconds. */
    private static int detect(Settings settings, Store store) throws Exception {
        byte[] key;
        try {
            key = SecretKey.load(Settings.load(Path.of("config/haven.properties"), System.getenv(), Map.of("haven.secret.generate", "false")));
        } catch (IOException e) {
            return 0;
        }
        try (ExternalIndex external = ExternalIndex.fromSettings(settings)) {
            Resolver resolver = new Resolver(IdentityRules.load(settings.path("haven.patients")), new PatientIndex(store), external);
            return Relinker.detect(new IdentityStore(store), resolver, key, "cli:" + System.getProperty("user.name", "unknown"));
        }
    }

    private int relinkReport(Settings settings, boolean reissue) throws Exception {
        try (Store store = CommandContext.openStore(settings)) {
            detect(settings, store);
            IdentityStore identities = new IdentityStore(store);
            List<IdentityStore.Relink> relinks = identities.relinks();
            System.out.println("project,unresolved_pseudonym,resolved_pseudonym,chi,issuer,local_id,detected_at,released_files,reissue_requested_at,reissued_at,reissued_files");
            for (IdentityStore.Relink r : relinks) {
                System.out.println(String.join(",", r.project(), r.unresolvedPseudonym(), r.resolvedPseudonym(), r.chi(),
                    MappingCommand.csv(nz(r.issuer())), MappingCommand.csv(nz(r.localId())), String.valueOf(r.detectedAt()),
                    String.valueOf(r.releasedFiles()), r.reissueRequestedAt() == null ? "" : r.reissueRequestedAt().toString(),
                    r.reissuedAt() == null ? "" : r.reissuedAt().toString(), r.reissuedFiles() == null ? "" : r.reissuedFiles().toString()));
            }
            long pending = relinks.stream().filter(r -> r.reissuedAt() == null).count();
            System.err.println("relink-report: " + relinks.size() + " merges, " + pending + " not yet re-issued");
            if (reissue) {
                int n = identities.requestReissue("cli:" + System.getProperty("user.name", "unknown"));
                System.err.println("relink-report: re-issue requested for " + n + " merges; a running node re-issues their files within seconds");
            }
            return 0;
        }
    }

    private static String nz(String s) { return s == null ? "" : s; }
}

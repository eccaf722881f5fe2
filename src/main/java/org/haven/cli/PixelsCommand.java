package org.haven.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.haven.pixel.library.PixelLibraryImport;

/**
 * {@code pixels import FILE --format ctp|deid [--out FILE] [--library NAME] [--id-prefix P] [--scope at-risk|all]}: translate a published
 * burned-in region library into Haven pixel rules. Without {@code --out} the rules go to standard output; the report
 * (skipped signatures and translation notes) always goes to standard error.
 */
public final class PixelsCommand implements Command {

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("import") || args.size() < 2) throw new UsageException("expected: import FILE --format ctp|deid");
        Path file = Path.of(args.get(1));
        String format = null, library = null, prefix = null;
        Boolean atRiskOnly = null;
        Path out = null;
        for (int i = 2; i < args.size(); i++) {
            String a = args.get(i);
            if (i + 1 >= args.size()) throw new UsageException(a + " needs a value");
            switch (a) {
                case "--format" -> format = args.get(++i);
                case "--out" -> out = Path.of(args.get(++i));
                case "--library" -> library = args.get(++i);
                case "--id-prefix" -> prefix = args.get(++i);
                case "--scope" -> {
                    String v = args.get(++i);
                    if (!v.equals("at-risk") && !v.equals("all")) throw new UsageException("--scope is at-risk or all");
                    atRiskOnly = v.equals("at-risk");
                }
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (format == null) throw new UsageException("--format ctp|deid is required");
        if (!Files.isRegularFile(file)) throw new UsageException("no such file: " + file);
        PixelLibraryImport.Result r;
        try {
            r = PixelLibraryImport.run(file, PixelLibraryImport.format(format), library, prefix, atRiskOnly);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        r.report().forEach(System.err::println);
        System.err.println("pixels import: " + r.signatures() + " signatures read, " + r.rules() + " rules written, "
                + (r.signatures() - r.rules()) + " not translated (reasons above)");
        if (out == null) {
            System.out.print(r.yaml());
        } else {
            Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
            Files.writeString(tmp, r.yaml(), StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.err.println("pixels import: wrote " + out);
        }
        return 0;
    }
}

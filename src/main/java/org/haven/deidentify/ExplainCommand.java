package org.haven.deidentify;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.haven.cli.Command;
import org.haven.cli.UsageException;

/**
 * {@code ./run.sh explain FILE [--profile P] [--project P] [--profiles DIR] [--show-identifiers]}: prints, attribute
 * by attribute (into sequences, indented), the original value (masked unless {@code --show-identifiers} or the
 * attribute is kept unchanged), the action, the rule ({@code file:line}) and the result. Nothing is written.
 *
 * <p>Key: {@code HAVEN_SECRET_KEY} (hex, or any other string as UTF-8), else a fixed demo key with a warning. The
 * pseudonym shown is a placeholder derived by HMAC from the PatientID: the real one comes from the store.
 */
public final class ExplainCommand implements Command {
    static final String DEMO_KEY = "haven-explain-demo-key";
    private final PrintStream out;
    private final PrintStream err;
    private final String envKey;

    public ExplainCommand() { this(System.out, System.err, System.getenv("HAVEN_SECRET_KEY")); }

    ExplainCommand(PrintStream out, PrintStream err, String envKey) {
        this.out = out;
        this.err = err;
        this.envKey = envKey;
    }

    @Override
    public int run(List<String> args) throws Exception {
        String file = null, profileName = "research", project = "explain";
        Path profilesDir = Path.of("config/profiles");
        boolean show = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--profile" -> profileName = value(args, ++i, a);
                case "--project" -> project = value(args, ++i, a);
                case "--profiles" -> profilesDir = Path.of(value(args, ++i, a));
                case "--show-identifiers" -> show = true;
                default -> {
                    if (a.startsWith("--")) throw new UsageException("unknown option " + a);
                    if (file != null) throw new UsageException("one FILE only");
                    file = a;
                }
            }
        }
        if (file == null) throw new UsageException("missing FILE");
        if (!Files.isRegularFile(Path.of(file))) throw new UsageException("not a file: " + file);
        ProfileRegistry registry = ProfileRegistry.load(profilesDir);
        Profile profile = registry.get(profileName);
        if (profile == null) throw new UsageException(registry.problem(profileName));

        byte[] key = key();
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        list.read(file, TagFromName.PixelData);
        UidRemapper uids = new UidRemapper(key, project);
        String pid = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID);
        String pseudonym = "EXPLAIN-" + uids.hash("pseudonym|" + pid).substring(0, 8);
        int shift = DateShift.offsetDays(key, project, pseudonym);
        DeidResult result = new Deidentifier(profile).apply(list, new DeidContext(project, pseudonym, shift, uids, true));

        out.println("Explain: " + Path.of(file).getFileName() + " with profile '" + profile.name() + "' (" + profile.file() + "), project '" + project + "'");
        out.println("  pseudonym " + pseudonym + " is a placeholder derived by HMAC for this explanation; the real one comes from the store");
        out.println("  date shift for this placeholder: " + shift + " days; unlisted attributes: " + profile.unlisted().action().word()
                + "; private attributes: " + (profile.privateRule().action() == Action.CLEAN ? "safe-private allowlist only" : "removed"));
        out.println("  composed of (own rules applied in this order, later ones win): " + String.join(", ", profile.applied()));
        out.println("  method codes: " + String.join(", ", profile.methodCodes()));
        for (String c : profile.conflicts()) out.println("  conflict (the later option wins): " + c);
        if (!show) out.println("  original values of changed attributes are masked (use --show-identifiers to see them)");
        out.println();
        for (AppliedAction a : result.actions()) out.println(format(a, show));
        out.println();
        out.println(result.actions().size() + " attributes, " + result.changedCount() + " changed");
        return 0;
    }

    static String format(AppliedAction a, boolean show) {
        String indent = "  ".repeat(a.depth());
        String name = a.path().substring(a.path().lastIndexOf('/') + 1);
        String before = a.before() == null ? "" : (a.changed() && !show ? mask(a.before()) : quote(a.before()));
        String after = a.after() == null ? "(removed)" : quote(a.after());
        String result = a.changed() ? "-> " + after : "(unchanged)";
        String line = String.format("%s%s %-40s %-28s %-18s %-14s %s  [%s]", indent, a.tag(), name, before, a.action(),
                a.rule().equals(a.action()) ? "" : "rule " + a.rule(), result, a.ruleSource());
        if (!a.action().contains("clean-text") || !a.changed() || a.after() == null) return line;
        // text values in full: before (masked unless --show-identifiers), after, and the rules that fired
        int cut = a.ruleSource().indexOf(" | text: ");
        String fired = cut < 0 ? "" : a.ruleSource().substring(cut + " | text: ".length());
        return line + "\n" + indent + "    text before: " + (show ? "\"" + a.before() + "\"" : mask(a.before()))
                + "\n" + indent + "    text after:  \"" + a.after() + "\""
                + "\n" + indent + "    rules fired: " + fired;
    }

    static String mask(String v) {
        if (v.startsWith("<")) return v;
        return v.isEmpty() ? "\"\"" : "<masked " + v.length() + " chars>";
    }

    static String quote(String v) {
        if (v.startsWith("<")) return v;
        String s = v.length() > 60 ? v.substring(0, 57) + "..." : v;
        return "\"" + s + "\"";
    }

    private byte[] key() {
        if (envKey == null || envKey.isBlank()) {
            err.println("warning: HAVEN_SECRET_KEY is not set; using a fixed demo key (UIDs, hashes and date shifts differ from production)");
            return DEMO_KEY.getBytes(StandardCharsets.UTF_8);
        }
        String k = envKey.trim();
        if (k.length() % 2 == 0 && k.matches("[0-9a-fA-F]{32,}")) return HexFormat.of().parseHex(k);
        return k.getBytes(StandardCharsets.UTF_8);
    }

    private static String value(List<String> args, int i, String opt) throws UsageException {
        if (i >= args.size()) throw new UsageException(opt + " needs a value");
        return args.get(i);
    }
}

package org.haven.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the shaded jar: {@code java -jar haven.jar <command> [args]}.
 * Commands are looked up by class name so that each stage's package owns its own command.
 */
public final class HavenCli {

    /** command name → implementing class and one line of help. */
    static final Map<String, String[]> COMMANDS = new LinkedHashMap<>();
    static {
        COMMANDS.put("run", new String[] {"org.haven.cli.RunCommand", "run Haven (routes, broker, store) until stopped"});
        COMMANDS.put("deidentify", new String[] {"org.haven.cli.DeidentifyCommand", "IN_DIR OUT_DIR [--profile P] [--project P]: process a folder once"});
        COMMANDS.put("synth", new String[] {"org.haven.synth.SynthCommand", "--patients N --out DIR [--seed S] [--single-identity]: write synthetic messy DICOM + answer key (+ patient-index.csv, identities.json); --ct --size 39k|531k --files N --patients P: plain CT series for bench/"});
        COMMANDS.put("explain", new String[] {"org.haven.deidentify.ExplainCommand", "FILE [--profile P] [--project P] [--show-identifiers]: what each rule does to a file"});
        COMMANDS.put("scan", new String[] {"org.haven.verify.ScanCommand", "DIR [--out REPORT]: residual-identifier scan of any DICOM folder"});
        COMMANDS.put("devices", new String[] {"org.haven.cli.DevicesCommand", "[--json]: device signatures, state, files seen/released/held per board, share of held files each unlocks"});
        COMMANDS.put("status", new String[] {"org.haven.cli.StatusCommand", "[--json]: counts by fate and reason, files in flight, queue depths and consumers, warnings (exit 3 when any)"});
        COMMANDS.put("replay", new String[] {"org.haven.cli.ReplayCommand", "--device ID [--wait S]: release the held files of a device now trusted"});
        COMMANDS.put("user", new String[] {"org.haven.cli.UserCommand", "add NAME --role reviewer|admin | disable NAME: review UI users (password from stdin or generated)"});
        COMMANDS.put("pixels", new String[] {"org.haven.cli.PixelsCommand", "import FILE --format ctp|deid [--out FILE]: pixel rules from a published burned-in region library"});
        COMMANDS.put("mapping", new String[] {"org.haven.cli.MappingCommand", "export --project P --out FILE --reason WHY: the project's mapping for the linkage team (0600, audited)"});
        COMMANDS.put("patients", new String[] {"org.haven.cli.PatientsCommand", "import FILE.csv | relink-report [--reissue]: patient index (issuer,local_id,chi) and re-linkage"});
    }

    private HavenCli() {}

    public static void main(String[] argv) {
        String name = argv.length == 0 ? "run" : argv[0];
        List<String> args = Arrays.asList(argv).subList(Math.min(1, argv.length), argv.length);
        String[] entry = COMMANDS.get(name);
        if (entry == null || name.equals("help") || name.equals("--help")) {
            usage();
            System.exit(entry == null && !name.equals("help") && !name.equals("--help") ? 2 : 0);
        }
        int code;
        try {
            Command command = (Command) Class.forName(entry[0]).getDeclaredConstructor().newInstance();
            code = command.run(args);
        } catch (ClassNotFoundException e) {
            System.err.println("haven: command '" + name + "' is not available in this build");
            code = 2;
        } catch (UsageException e) {
            System.err.println("haven " + name + ": " + e.getMessage());
            System.err.println("usage: ./run.sh " + name + " " + entry[1]);
            code = 2;
        } catch (Exception e) {
            // No identifiers in messages: commands throw with file ids and attribute names, never values.
            System.err.println("haven " + name + ": " + e);
            code = 1;
        }
        System.exit(code);
    }

    static void usage() {
        System.err.println("usage: ./run.sh [command] [args]   (default: run)");
        COMMANDS.forEach((n, e) -> System.err.printf("  %-11s %s%n", n, e[1]));
        System.err.println("  test        run the tests");
    }
}

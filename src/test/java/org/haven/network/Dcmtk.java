package org.haven.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** dcmtk's echoscu and storescu (Debian dcmtk), run as a board's PACS would run them. */
final class Dcmtk {
    record Result(int exitCode, String output) {}

    private Dcmtk() {}

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")) && Files.isExecutable(Path.of("/usr/bin/echoscu")),
            "dcmtk (storescu, echoscu) is not installed: apt-get install dcmtk");
    }

    static Result echo(String callingAe, String calledAe, int port) throws Exception {
        return run(List.of("echoscu", "-aet", callingAe, "-aec", calledAe, "127.0.0.1", String.valueOf(port)));
    }

    /** storescu's option proposing a transfer syntax as it is (without it, storescu proposes uncompressed only). */
    static final Map<String, String> PROPOSE = Map.ofEntries(
        Map.entry("1.2.840.10008.1.2", "-xi"), Map.entry("1.2.840.10008.1.2.1", "-xe"), Map.entry("1.2.840.10008.1.2.2", "-xb"),
        Map.entry("1.2.840.10008.1.2.1.99", "-xd"), Map.entry("1.2.840.10008.1.2.5", "-xr"),
        Map.entry("1.2.840.10008.1.2.4.50", "-xy"), Map.entry("1.2.840.10008.1.2.4.51", "-xx"), Map.entry("1.2.840.10008.1.2.4.70", "-xs"),
        Map.entry("1.2.840.10008.1.2.4.80", "-xt"), Map.entry("1.2.840.10008.1.2.4.81", "-xu"),
        Map.entry("1.2.840.10008.1.2.4.90", "-xv"), Map.entry("1.2.840.10008.1.2.4.91", "-xw"));

    /** One association sending every file; -v prints one "Received Store Response" line per file. */
    static Result store(String callingAe, String calledAe, int port, List<Path> files) throws Exception {
        return store(callingAe, calledAe, port, files, "-xe");
    }

    static Result store(String callingAe, String calledAe, int port, List<Path> files, String proposeOption) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", proposeOption, "-aet", callingAe, "-aec", calledAe, "127.0.0.1",
            String.valueOf(port)));
        for (Path f : files) cmd.add(f.toString());
        return run(cmd);
    }

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd.get(0) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static long count(String output, String needle) {
        return output.lines().filter(l -> l.contains(needle)).count();
    }
}

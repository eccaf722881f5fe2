package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A CLI command run as an operator runs it: {@code java -cp <test classpath> org.haven.cli.HavenCli ARGS}, its own process. */
final class CliProcess {
    private CliProcess() {}

    /** Exit code, standard output and standard error of one run (at most 60 s). */
    record Result(int exit, String out, String err) {}

    static Result run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "org.haven.cli.HavenCli"));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("haven-cli", ".err"); // a file, so a chatty stderr cannot block the reader of stdout
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File("."));
            pb.environment().putAll(env);
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", String.join(" ", args)).isTrue();
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}

package org.haven.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./run.sh picks the JVM every command runs on: the {@code java} on PATH with the AppCDS archive, or a JDK 25+ named
 * by HAVEN_AOT_JDK with its AOT cache (an AOT cache option would stop a JDK 17 from starting at all).
 */
class LauncherJvmTest {
    @Test
    void aJdk25OrLaterRunsWithTheAotCache(@TempDir Path dir) throws Exception {
        Path jdk = fakeJdk(dir.resolve("jdk-25"), "25.0.1");
        Map<String, String> env = Map.of("HAVEN_AOT_JDK", jdk.toString());
        assertThat(runSh(env, "java")).isEqualTo(jdk.resolve("bin/java").toString());
        assertThat(runSh(env, "java-opts")).contains("-XX:AOTCache=").doesNotContain("SharedArchiveFile");
    }

    @Test
    void byDefaultTheJavaOnPathRunsWithAppCds() throws Exception {
        Map<String, String> env = Map.of();
        assertThat(runSh(env, "java")).isEqualTo("java");
        assertThat(runSh(env, "java-opts")).contains("-XX:SharedArchiveFile=").doesNotContain("AOTCache");
    }

    @Test
    void aJdkBefore25IsNotGivenTheAotCache(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("HAVEN_AOT_JDK", fakeJdk(dir.resolve("jdk-21"), "21.0.2").toString());
        assertThat(runSh(env, "java")).isEqualTo("java");
        assertThat(runSh(env, "java-opts")).contains("-XX:SharedArchiveFile=").doesNotContain("AOTCache");
    }

    @Test
    void noClassDataWhenSwitchedOff(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("HAVEN_AOT_JDK", fakeJdk(dir.resolve("jdk-25"), "25").toString(), "HAVEN_CDS", "0");
        assertThat(runSh(env, "java-opts")).doesNotContain("AOTCache").doesNotContain("SharedArchiveFile").contains("-XX:+UseSerialGC");
    }

    @Test
    void aServiceNodeGetsALargerFixedYoungGenerationThanOtherCommands() throws Exception {
        assertThat(runSh(Map.of(), "java-opts", "run")).contains("-Xms192m -Xmn96m").doesNotContain("-Xms32m");
        assertThat(runSh(Map.of(), "java-opts")).contains("-Xms32m").doesNotContain("-Xmn");
    }

    /** A JDK home as run.sh reads it: bin/java and the release file's JAVA_VERSION. */
    static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 0\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\nJAVA_RUNTIME_VERSION=\"" + version + "+1\"\n");
        return home;
    }

    static String runSh(Map<String, String> env, String... command) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("bash", "run.sh"));
        args.addAll(java.util.List.of(command));
        ProcessBuilder pb = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("HAVEN_JAVA_OPTS");
        pb.environment().remove("HAVEN_CDS");
        pb.environment().remove("HAVEN_AOT_JDK");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}

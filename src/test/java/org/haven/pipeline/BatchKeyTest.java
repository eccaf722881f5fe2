package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deidentify} uses the service's key (HAVEN_SECRET_KEY, else the service's key file) and keeps its store out
 * of OUT: three runs on the same input give byte-identical release trees, OUT holds nothing but release/ and
 * quarantine/, the command says where the key and the store are, and a service node with the same key releases the
 * same bytes.
 */
class BatchKeyTest {
    static final List<String> INPUTS = List.of("pydicom/test_files/MR_small.dcm", "pydicom/test_files/CT_small.dcm",
            "dcm_qa_philips/Vanderbilt_2018/601_WIP_dti_ax/0016.dcm");

    @TempDir
    Path tmp;

    @Test
    void threeRunsWithTheServiceKeyFileAreByteIdenticalAndKeepKeyAndStoreOutOfOut() throws Exception {
        Corpus.assumeAvailable();
        Path in = input();
        Path workspace = tmp.resolve("service-work");
        Map<String, String> env = Map.of("HAVEN_WORKSPACE", workspace.toString(), "HAVEN_DEVICES", trustAll().toString());
        List<Map<String, String>> trees = new ArrayList<>();
        String key = null;
        for (int i = 1; i <= 3; i++) {
            Path out = tmp.resolve("out" + i);
            Result r = run(env, "deidentify", in.toString(), out.toString(), "--profile", "research");
            Path keyFile = workspace.toAbsolutePath().normalize().resolve("secret.key");
            assertThat(r.stderr).contains("key:   " + keyFile).contains("store: " + workspace.toAbsolutePath().normalize().resolve("batch"));
            assertThat(keyFile).exists();
            if (key == null) key = Files.readString(keyFile);
            assertThat(Files.readString(keyFile)).as("the same key file every run").isEqualTo(key);
            try (Stream<Path> top = Files.list(out)) {
                assertThat(top.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("quarantine", "release");
            }
            try (Stream<Path> all = Files.walk(out)) {
                assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.equals("secret.key") || n.endsWith(".mv.db"));
            }
            trees.add(tree(out.resolve("release")));
        }
        assertThat(trees.get(0)).hasSize(INPUTS.size());
        assertThat(trees.get(1)).isEqualTo(trees.get(0));
        assertThat(trees.get(2)).isEqualTo(trees.get(0));
    }

    @Test
    void batchAndServiceWithOneKeyReleaseTheSameBytes() throws Exception {
        Corpus.assumeAvailable();
        Path in = input();
        Path out = tmp.resolve("out");
        Result r = run(Map.of("HAVEN_SECRET_KEY", TestNode.KEY, "HAVEN_WORKSPACE", tmp.resolve("w").toString(), "HAVEN_DEVICES", trustAll().toString()),
                "deidentify", in.toString(), out.toString(), "--profile", "research");
        assertThat(r.stderr).contains("key:   HAVEN_SECRET_KEY");
        try (TestNode node = TestNode.builder(tmp.resolve("node")).devices(TestNode.trustAll("research")).start()) {
            for (String name : INPUTS) {
                String id = node.submit(Corpus.ROOT.resolve(name), "service");
                assertThat(node.awaitOutcome(id, Duration.ofSeconds(60)).outcome()).isEqualTo("released");
            }
            assertThat(tree(node.release())).hasSize(INPUTS.size()).isEqualTo(tree(out.resolve("release")));
        }
    }

    private Path input() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (String name : INPUTS) Files.copy(Corpus.ROOT.resolve(name), in.resolve(Path.of(name).getFileName()));
        return in;
    }

    private Path trustAll() throws Exception {
        Path f = tmp.resolve("devices.yaml");
        if (!Files.exists(f)) Files.writeString(f, TestNode.trustAll("research"));
        return f;
    }

    /** Relative path -> SHA-256 of every file below root. */
    static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(d));
            }
        }
        return out;
    }

    record Result(String stdout, String stderr) {}

    /** {@code java -cp <test classpath> org.haven.cli.HavenCli ARGS} as an operator runs it, without an inherited key. */
    static Result run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.haven.cli.HavenCli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File("."));
        pb.environment().keySet().removeIf(k -> k.startsWith("HAVEN_"));
        pb.environment().putAll(env);
        Path err = Files.createTempFile("haven-cli", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(err);
        Files.delete(err);
        assertThat(p.exitValue()).as("exit code of %s\n%s", String.join(" ", args), stderr).isZero();
        return new Result(out, stderr);
    }
}

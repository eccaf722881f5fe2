package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.TagFromName;
import org.haven.dicom.DicomReader;
import org.haven.resolve.LinkageExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands as an operator runs them (a separate process, settings from HAVEN_* variables) against the
 * store of a running node: {@code devices --json}, {@code mapping export} (owner-only, audited, unknown project an
 * error) and {@code patients import} / {@code relink-report}.
 */
class CliCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void devicesReportAndMappingExport() throws Exception {
        Corpus.assumeAvailable();
        String mrOnly = "devices:\n  - id: mr-only\n    modality: MR\n    state: trusted\n    profile: basic\n";
        // a schema of this run's own: other worktrees run this test against the same PostgreSQL at the same time
        String schema = "haven_it_cli_" + ProcessHandle.current().pid();
        try (TestNode node = TestNode.builder(tmp.resolve("n")).devices(mrOnly).postgres(schema).start()) {
            String mr = node.submit(Corpus.ROOT.resolve("pydicom/test_files/MR_small.dcm"), "lothian");
            String ct = node.submit(Corpus.ROOT.resolve("pydicom/test_files/CT_small.dcm"), "fife");
            String released = node.awaitOutcome(mr, Duration.ofSeconds(60)).location();
            assertThat(node.awaitOutcome(ct, Duration.ofSeconds(60)).reason()).isEqualTo("unknown-device");
            Map<String, String> env = Map.of("HAVEN_DB_URL", TestNode.POSTGRES_URL + "?currentSchema=" + schema,
                "HAVEN_DB_USER", "postgres", "HAVEN_DEVICES", node.root.resolve("devices.yaml").toString());

            JsonNode devices = new ObjectMapper().readTree(run(env, "devices", "--json"));
            assertThat(devices).hasSize(2);
            for (JsonNode d : devices) {
                if (d.get("modality").asText().equals("MR")) {
                    assertThat(d.get("state").asText()).isEqualTo("trusted");
                    assertThat(d.get("released").asLong()).isEqualTo(1);
                } else {
                    assertThat(d.get("modality").asText()).isEqualTo("CT");
                    assertThat(d.get("held").asLong()).isEqualTo(1);
                    assertThat(d.get("unlocks").asDouble()).isEqualTo(1.0);
                    assertThat(d.get("boards").get(0).get("board").asText()).isEqualTo("fife");
                }
            }

            Path export = tmp.resolve("exports/default.csv");
            run(env, "mapping", "export", "--project", "default", "--out", export.toString(), "--reason", "linkage request 42");
            assertThat(java.nio.file.Files.getPosixFilePermissions(export)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            List<String> lines = java.nio.file.Files.readAllLines(export);
            assertThat(lines.get(0)).isEqualTo(LinkageExport.HEADER);
            assertThat(lines).hasSize(2);
            String pseudonym = DicomReader.readAll(node.release().resolve(released)).text(TagFromName.PatientID);
            String pid = DicomReader.readAll(Corpus.ROOT.resolve("pydicom/test_files/MR_small.dcm")).text(TagFromName.PatientID).toUpperCase();
            // MR_small's PatientID is no CHI: pseudonymised by (the board's default issuer and) local id, marked unresolved
            assertThat(lines.get(1)).isEqualTo("default,," + pseudonym + ",unresolved,,NHS LOTHIAN:" + pid + ",lothian,"
                + DicomReader.readAll(Corpus.ROOT.resolve("pydicom/test_files/MR_small.dcm")).text(TagFromName.StudyDate) + ","
                + DicomReader.readAll(Corpus.ROOT.resolve("pydicom/test_files/MR_small.dcm")).text(TagFromName.StudyDate) + ",1");
            try (java.sql.Connection c = node.haven.store().connection();
                 java.sql.PreparedStatement ps = c.prepareStatement("select actor, subject, reason from audit_event where event = 'mapping-export'");
                 java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("cli:");
                assertThat(rs.getString(2)).isEqualTo("default");
                assertThat(rs.getString(3)).isEqualTo("linkage request 42");
                assertThat(rs.next()).isFalse();
            }
            String unknown = runFailing(env, 1, "mapping", "export", "--project", "nope", "--out", tmp.resolve("x.csv").toString(), "--reason", "r");
            assertThat(unknown).contains("unknown project 'nope'").contains("known projects: default, linkage-example");
            assertThat(tmp.resolve("x.csv")).doesNotExist();
            assertThat(runFailing(env, 2, "mapping", "export", "--project", "default", "--out", tmp.resolve("y.csv").toString()))
                .contains("--reason is required");

            // the patient index from the command line: row errors with line numbers, then a good import and the relink report
            java.nio.file.Path bad = java.nio.file.Files.writeString(tmp.resolve("bad.csv"), "issuer,local_id,chi\nNHS LOTHIAN,,1204850011\n");
            assertThat(runFailing(env, 1, "patients", "import", bad.toString())).contains(bad + ":2: local_id is empty").contains("nothing imported");
            java.nio.file.Path good = java.nio.file.Files.writeString(tmp.resolve("good.csv"), "issuer,local_id,chi\nNHS LOTHIAN," + pid + ",1204850011\n");
            Map<String, String> withKey = new java.util.HashMap<>(env);
            withKey.put("HAVEN_SECRET_KEY", TestNode.KEY);
            assertThat(run(withKey, "patients", "import", good.toString())).contains("1 added").contains("1 pseudonyms issued unresolved now resolve to a person");
            List<String> report = run(withKey, "patients", "relink-report").lines().toList();
            assertThat(report).hasSize(2);
            assertThat(report.get(1)).startsWith("default," + pseudonym + ",H").contains(",1204850011,NHS LOTHIAN," + pid + ",").contains(",1,");
        }
    }

    /** Runs the command expecting exit code {@code code}; returns its standard error. */
    static String runFailing(Map<String, String> env, int code, String... args) throws Exception {
        CliProcess.Result r = CliProcess.run(env, args);
        assertThat(r.exit()).as("exit code of %s", String.join(" ", args)).isEqualTo(code);
        return r.err();
    }

    @Test
    void batchDeidentifyPrintsASummaryAndWritesReleaseAndQuarantine() throws Exception {
        Path in = tmp.resolve("in");
        org.haven.synth.AnswerKey key = new org.haven.synth.SyntheticArchive(5L).write(3, in);
        java.nio.file.Files.delete(in.resolve("answer-key.json"));
        Path out = tmp.resolve("out");
        String summary = run(Map.of("HAVEN_SECRET_KEY", TestNode.KEY), "deidentify", in.toString(), out.toString(), "--profile", "research");
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String line : summary.lines().toList()) {
            String[] parts = line.trim().split("\\s+");
            counts.put(parts[0], Integer.parseInt(parts[parts.length - 1]));
        }
        assertThat(counts.get("received")).isEqualTo(key.files().size());
        int decided = counts.entrySet().stream().filter(e -> !e.getKey().equals("received")).mapToInt(Map.Entry::getValue).sum();
        assertThat(decided).isEqualTo(key.files().size());
        try (var released = java.nio.file.Files.walk(out.resolve("release"))) {
            assertThat(released.filter(p -> p.toString().endsWith(".dcm")).count()).isEqualTo(counts.get("released").longValue());
        }
        assertThat(counts.keySet()).noneMatch(k -> k.contains("internal-error"));
    }

    @Test
    void batchDeidentifyTakesNothingItWritesInsideItsInputFolder() throws Exception {
        // IN is walked while the run writes: its release (OUT) and its workspace (the store) are inside IN here
        Path in = tmp.resolve("in");
        org.haven.synth.AnswerKey key = new org.haven.synth.SyntheticArchive(6L).write(2, in);
        java.nio.file.Files.delete(in.resolve("answer-key.json"));
        String summary = run(Map.of("HAVEN_SECRET_KEY", TestNode.KEY, "HAVEN_WORKSPACE", in.resolve("work").toString()),
            "deidentify", in.toString(), in.resolve("out").toString(), "--profile", "research");
        assertThat(summary).containsPattern("(?m)^received\\s+" + key.files().size() + "$").doesNotContain("identical copies");
    }

    /** Runs {@code java -cp <test classpath> org.haven.cli.HavenCli ARGS} expecting success; returns its standard output. */
    static String run(Map<String, String> env, String... args) throws Exception {
        CliProcess.Result r = CliProcess.run(env, args);
        String err = r.err() == null ? "" : r.err();
        assertThat(r.exit()).as("exit code of %s; its output:%n%s%n%s", String.join(" ", args), r.out(),
            err.substring(Math.max(0, err.length() - 8000))).isZero(); // the end of its log: why a file was not decided
        return r.out();
    }
}

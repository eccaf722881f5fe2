package org.haven.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No database, key or DICOM file is ever committed: stores hold pseudonym rows and source paths, keys make
 * pseudonyms reversible, DICOM carries patients. Checks every file in the git index by name and by content (the
 * "DICM" magic at offset 128, whatever the file is called).
 */
class RepositoryHygieneTest {
    static final Pattern FORBIDDEN_NAME = Pattern.compile(
        "(?i)(.*(\\.mv\\.db|\\.h2\\.db|\\.trace\\.db|\\.sqlite3?|\\.db|\\.dcm|\\.dicom|\\.key|\\.pem|\\.p12|\\.pfx|\\.jks|\\.keystore"
        + "|(^|/)id_(rsa|ed25519|ecdsa))|(.*/)?(\\.haven|tmp|work)/.*)");

    static List<String> trackedFiles() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "ls-files", "-z").start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        if (!ok && !"true".equals(System.getenv("CI"))) Assumptions.abort("not a git checkout");
        assertThat(ok).as("git ls-files (CI runs in a checkout)").isTrue();
        List<String> files = new ArrayList<>();
        for (String f : new String(out, StandardCharsets.UTF_8).split("\0")) if (!f.isEmpty()) files.add(f);
        return files;
    }

    static boolean isDicom(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < 132) return false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(132);
            return Arrays.equals(Arrays.copyOfRange(head, 128, 132), "DICM".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void noDatabaseKeyOrDicomFileIsCommitted() throws Exception {
        List<String> files = trackedFiles();
        assertThat(files).as("the index lists the project's own files").contains("pom.xml", "run.sh");
        assertThat(files).as("stores, keys and DICOM by name").noneMatch(f -> FORBIDDEN_NAME.matcher(f).matches());
        List<String> dicom = new ArrayList<>();
        for (String f : files) if (isDicom(Path.of(f))) dicom.add(f);
        assertThat(dicom).as("files with the DICOM magic").isEmpty();
    }

    @Test
    void theCheckRecognisesWhatItLooksFor(@TempDir Path dir) throws Exception {
        for (String bad : List.of("tmp/out1/.haven/db/haven.mv.db", "work/secret.key", "a/b.DCM", "x.pem", "work/inbox/f", "a/.haven/x"))
            assertThat(FORBIDDEN_NAME.matcher(bad).matches()).as(bad).isTrue();
        for (String good : List.of("pom.xml", "config/verify/detectors.yaml", "src/main/java/org/haven/store/Workspace.java",
                "src/main/java/org/haven/app/SecretKey.java", "bench/run.sh"))
            assertThat(FORBIDDEN_NAME.matcher(good).matches()).as(good).isFalse();
        byte[] dicm = new byte[200];
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, dicm, 128, 4);
        assertThat(isDicom(Files.write(dir.resolve("scan.bin"), dicm))).isTrue();
        assertThat(isDicom(Files.write(dir.resolve("text.txt"), new byte[200]))).isFalse();
    }
}

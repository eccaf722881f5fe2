package org.haven.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import org.haven.synth.AnswerKey.FileEntry;
import org.haven.synth.AnswerKey.Planted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** People under several identities: the files say what the answer key and identities.json say, and the index is complete. */
class SyntheticIdentitiesTest {
    @TempDir
    static Path tmp;
    static Path out;
    static AnswerKey key;

    @BeforeAll
    static void generate() throws Exception {
        out = tmp.resolve("a");
        key = new SyntheticArchive(16L).studiesPerPatient(3).withIdentities().write(5, out);
    }

    @Test
    void filesAnswerKeyAndIdentitiesAgree() throws Exception {
        assertThat(AnswerKey.read(out)).isEqualTo(key);
        Set<String> onDisk;
        try (Stream<Path> s = Files.walk(out)) {
            onDisk = s.filter(p -> p.toString().endsWith(".dcm")).map(p -> out.relativize(p).toString()).collect(Collectors.toSet());
        }
        assertThat(onDisk).isEqualTo(key.files().stream().map(FileEntry::path).collect(Collectors.toSet()));
        for (FileEntry f : key.files()) {
            assertThat(f.path()).startsWith(f.board() + "/");
            AttributeList list = new AttributeList();
            list.read(out.resolve(f.path()).toFile());
            for (Planted p : f.planted()) {
                if (p.path().equals(AnswerKey.FILE_PATH)) continue;
                assertThat(DicomPath.value(list, p.path())).as("%s %s", f.path(), p.path()).isNotNull().contains(p.value());
            }
        }
        JsonNode people = AnswerKey.mapper().readTree(out.resolve(SyntheticIdentities.IDENTITIES_FILE).toFile());
        assertThat(people).hasSize(5);
        Map<String, Integer> carriers = new TreeMap<>();
        int severalBoards = 0;
        for (JsonNode p : people) {
            Set<String> boards = new TreeSet<>();
            for (JsonNode id : p.get("identities")) {
                boards.add(id.get("board").asText());
                carriers.merge(id.get("chiIn").asText(), 1, Integer::sum);
            }
            if (boards.size() > 1) severalBoards++;
            List<String> files = new ArrayList<>();
            p.get("files").forEach(f -> files.add(f.asText()));
            assertThat(files).allMatch(path -> key.files().stream().anyMatch(f -> f.path().equals(path) && f.patient().index() == p.get("index").asInt()));
        }
        assertThat(severalBoards).as("people seen at two boards").isGreaterThanOrEqualTo(3);
        assertThat(carriers).containsKeys("patient-id", "index-only");
        assertThat(carriers.keySet()).containsAnyOf("other-ids", "other-ids-sequence");
    }

    @Test
    void everyHospitalNumberOfAFileWithoutAChiIsInTheIndex() throws Exception {
        List<String> rows = Files.readAllLines(out.resolve(SyntheticIdentities.INDEX_FILE));
        assertThat(rows.get(0)).isEqualTo("issuer,local_id,chi");
        Set<String> index = new TreeSet<>(rows.subList(1, rows.size()));
        int withoutChi = 0;
        for (FileEntry f : key.files()) {
            boolean chiInHeader = f.planted().stream().anyMatch(p -> p.kind().equals("chi")
                && (p.path().equals("PatientID") || p.path().startsWith("OtherPatientIDs")));
            if (chiInHeader) continue;
            String pid = f.planted().stream().filter(p -> p.path().equals("PatientID")).findFirst().map(Planted::value).orElse(null);
            String issuer = f.planted().stream().filter(p -> p.path().equals("IssuerOfPatientID")).findFirst().map(Planted::value).orElse(null);
            if (pid == null) continue;
            assertThat(index).as(f.path()).contains(issuer + "," + pid + "," + f.patient().chi());
            withoutChi++;
        }
        assertThat(withoutChi).isPositive();
    }

    @Test
    void sameSeedSameArchive() throws Exception {
        Path again = tmp.resolve("b");
        assertThat(new SyntheticArchive(16L).studiesPerPatient(3).withIdentities().write(5, again)).isEqualTo(key);
        assertThat(Files.readString(again.resolve(SyntheticIdentities.INDEX_FILE))).isEqualTo(Files.readString(out.resolve(SyntheticIdentities.INDEX_FILE)));
        assertThat(SyntheticArchiveTest.hashes(again)).isEqualTo(SyntheticArchiveTest.hashes(out));
    }
}

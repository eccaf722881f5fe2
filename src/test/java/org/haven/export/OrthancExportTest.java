package org.haven.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.haven.pipeline.TestNode;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Released studies reach two real Orthanc research PACS, one by C-STORE and one by STOW-RS: complete (instance counts
 * per series equal the release folder's), de-identified (no synthetic patient's name, ID or CHI in any instance, UIDs
 * remapped), held files never sent, a PACS that is down at first gets everything once it is up (retry with back-off),
 * and finding the releases again sends nothing twice.
 */
class OrthancExportTest {
    @TempDir
    Path tmp;

    @Test
    void releasedStudiesArriveCompleteAndDeidentifiedOnceAtEveryDestination() throws Exception {
        Orthanc.assumeInstalled();
        AnswerKey key = new SyntheticArchive(17L).studiesPerPatient(1).write(3, tmp.resolve("synth"));
        try (Orthanc dicom = new Orthanc(tmp.resolve("orthanc-dicom"), "RESEARCH").start();
             Orthanc web = new Orthanc(tmp.resolve("orthanc-web"), "RESEARCHWEB")) { // not started yet: down at first
            Path destinations = Files.writeString(tmp.resolve("destinations.yaml"), """
                destinations:
                  - id: research-pacs
                    type: dicom
                    host: 127.0.0.1
                    port: %d
                    called-ae-title: RESEARCH
                  - id: research-web
                    type: stow-rs
                    url: %s
                    retry: {initial-seconds: 1, max-seconds: 2, max-attempts: 1000}
                """.formatted(dicom.dicomPort, web.dicomWebUrl()));
            try (TestNode node = TestNode.builder(tmp.resolve("node")).devices(TestNode.trustAll("research"))
                    .setting("haven.destinations", destinations.toString()).setting("haven.export.poll-ms", "200").start()) {
                List<String> ids = new ArrayList<>();
                for (AnswerKey.FileEntry f : key.files()) ids.add(node.submit(tmp.resolve("synth").resolve(f.path()), f.board()));
                Path junk = Files.writeString(tmp.resolve("not-dicom.dcm"), "not DICOM at all");
                String held = node.submit(junk, "lothian");
                for (String id : ids) node.awaitOutcome(id, Duration.ofSeconds(120));
                assertThat(node.awaitOutcome(held, Duration.ofSeconds(60)).outcome()).isEqualTo("quarantined");

                int released = count(node, "select count(*) from file_outcome where outcome = 'released'");
                assertThat(released).isPositive();
                awaitCount(node, "select count(*) from export_outcome where destination = 'research-pacs' and status = 'delivered'", released);
                // the web PACS is down: its rows wait, with the failure recorded and a retry scheduled
                awaitCount(node, "select count(*) from export_outcome where destination = 'research-web' and attempts > 0"
                    + " and last_error is not null and status = 'pending'", released);

                web.start();
                awaitCount(node, "select count(*) from export_outcome where destination = 'research-web' and status = 'delivered'", released);

                Map<String, Integer> expected = releasedPerSeries(node.release());
                assertThat(expected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(released);
                for (Orthanc pacs : List.of(dicom, web)) {
                    assertThat(pacs.instanceCount()).as(pacs.aeTitle).isEqualTo(released);
                    assertThat(seriesCounts(pacs)).as(pacs.aeTitle).isEqualTo(expected);
                    assertDeidentified(pacs, key);
                }
                // held files have no export row at all
                assertThat(count(node, "select count(*) from export_outcome e join file_outcome o on o.file_id = e.file_id"
                    + " where o.outcome <> 'released'")).isZero();
                assertThat(count(node, "select count(*) from export_outcome where file_id = '" + held + "'")).isZero();

                // found again (a restart's catch-up scan, a redelivered release): no new rows, nothing sent twice
                Exporter again = new Exporter(Destinations.load(destinations, "HAVEN"), node.haven.store(), node.release(), "again", 100);
                again.discover();
                again.deliverDue();
                assertThat(count(node, "select count(*) from export_outcome")).isEqualTo(2 * released);
                assertThat(count(node, "select count(*) from file_event where event = 'exported'")).isEqualTo(2 * released);
                for (Orthanc pacs : List.of(dicom, web)) assertThat(pacs.instanceCount()).isEqualTo(released);
                System.out.printf("export: %d of %d files released, each delivered once by C-STORE and once by STOW-RS"
                    + " (the STOW-RS PACS was down at first); %d series complete in both%n", released, ids.size(), expected.size());
            }
        }
    }

    /** Series instance UID → number of released files, read from the release folder. */
    static Map<String, Integer> releasedPerSeries(Path release) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Stream<Path> s = Files.walk(release)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".dcm")).toList()) {
                AttributeList list = new AttributeList();
                list.read(p.toFile(), TagFromName.PixelData);
                counts.merge(com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID), 1, Integer::sum);
            }
        }
        return counts;
    }

    static Map<String, Integer> seriesCounts(Orthanc pacs) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode series : pacs.get("/series?expand")) {
            counts.put(series.get("MainDicomTags").get("SeriesInstanceUID").asText(), series.get("Instances").size());
        }
        return counts;
    }

    static void assertDeidentified(Orthanc pacs, AnswerKey key) throws Exception {
        Set<String> identifiers = new HashSet<>();
        for (AnswerKey.FileEntry f : key.files()) {
            identifiers.add(f.patient().familyName().toUpperCase());
            identifiers.add(f.patient().chi());
            identifiers.add(f.patient().hospitalNumber());
            identifiers.add(f.studyInstanceUid());
            identifiers.add(f.sopInstanceUid());
        }
        identifiers.removeIf(s -> s == null || s.length() < 4);
        for (JsonNode id : pacs.get("/instances")) {
            JsonNode tags = pacs.get("/instances/" + id.asText() + "/simplified-tags");
            String text = tags.toString().toUpperCase();
            for (String identifier : identifiers) assertThat(text).as("instance in " + pacs.aeTitle).doesNotContain(identifier.toUpperCase());
            assertThat(tags.get("PatientID").asText()).as("pseudonym").startsWith("H").hasSize(13);
            assertThat(tags.get("StudyInstanceUID").asText()).startsWith("2.25.");
        }
    }

    static int count(TestNode node, String sql) throws Exception {
        try (Connection c = node.haven.store().connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static void awaitCount(TestNode node, String sql, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int n = -1;
        while (System.nanoTime() < deadline) {
            n = count(node, sql);
            if (n == expected) return;
            Thread.sleep(100);
        }
        throw new AssertionError(sql + " = " + n + ", expected " + expected);
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.pixelmed.dicom.TagFromName;
import org.haven.dicom.DicomHeader;
import org.haven.dicom.DicomReader;
import org.haven.store.FileRecords;
import org.haven.store.Pseudonyms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same pipeline on the machine's real PostgreSQL (127.0.0.1:5432, database test), and two nodes sharing it. */
class PostgresPipelineTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void postgresIsRunning() throws Exception {
        // Real parts: a missing PostgreSQL is a failure, not a skip (run.sh test starts it).
        try (Connection c = DriverManager.getConnection(TestNode.POSTGRES_URL, "postgres", "")) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void corpusOnPostgres() throws Exception {
        Corpus.assumeAvailable();
        try (TestNode node = TestNode.builder(tmp.resolve("pg")).postgres("haven_it_corpus").start()) {
            CorpusPipelineTest.runCorpus(node, Corpus.entries().stream().filter(e -> e.name().startsWith("pydicom/")).toList());
        }
    }

    @Test
    void twoNodesOnOneStoreGiveTheSamePseudonymsAndUids() throws Exception {
        Corpus.assumeAvailable();
        // two instances of one patient's study, one to each node at the same moment
        Path a = Corpus.ROOT.resolve("pydicom/test_files/dicomdirtests/98892003/MR2/4950");
        Path b = Corpus.ROOT.resolve("pydicom/test_files/dicomdirtests/98892003/MR1/4919");
        try (TestNode one = TestNode.builder(tmp.resolve("one")).postgres("haven_it_two").brokerName("one").start();
             TestNode two = TestNode.builder(tmp.resolve("two")).setting("haven.db.url", TestNode.POSTGRES_URL + "?currentSchema=haven_it_two")
                 .setting("haven.db.user", "postgres").brokerName("two").start()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<String> fa = pool.submit((Callable<String>) () -> one.submit(a, "lothian"));
            Future<String> fb = pool.submit((Callable<String>) () -> two.submit(b, "lothian"));
            FileRecords.Outcome oa = one.awaitOutcome(fa.get(), Duration.ofSeconds(60));
            FileRecords.Outcome ob = two.awaitOutcome(fb.get(), Duration.ofSeconds(60));
            pool.shutdown();
            assertThat(oa.outcome()).isEqualTo("released");
            assertThat(ob.outcome()).isEqualTo("released");
            DicomHeader ra = DicomReader.readAll(one.release().resolve(oa.location()));
            DicomHeader rb = DicomReader.readAll(two.release().resolve(ob.location()));
            assertThat(ra.text(TagFromName.PatientID)).isEqualTo(rb.text(TagFromName.PatientID)).startsWith("H");
            assertThat(ra.text(TagFromName.StudyInstanceUID)).isEqualTo(rb.text(TagFromName.StudyInstanceUID)).startsWith("2.25.");
            assertThat(ra.text(TagFromName.SOPInstanceUID)).isNotEqualTo(rb.text(TagFromName.SOPInstanceUID));
            assertThat(ra.text(TagFromName.StudyDate)).isEqualTo(rb.text(TagFromName.StudyDate));
            assertThat(Path.of(oa.location()).getParent().getParent()).isEqualTo(Path.of(ob.location()).getParent().getParent());
            // one mapping row for the patient, whichever node got there first
            assertThat(new Pseudonyms(one.haven.store()).export("default")).hasSize(1);
        }
    }

    @Test
    void rerunInAFreshStoreGivesIdenticalOutput() throws Exception {
        Corpus.assumeAvailable();
        Path source = Corpus.ROOT.resolve("pydicom/test_files/CT_small.dcm");
        byte[] first;
        byte[] second;
        try (TestNode node = TestNode.builder(tmp.resolve("r1")).postgres("haven_it_rerun").start()) {
            first = Files.readAllBytes(node.release().resolve(node.awaitOutcome(node.submit(source, "fife"), Duration.ofSeconds(60)).location()));
        }
        try (TestNode node = TestNode.builder(tmp.resolve("r2")).start()) { // H2 this time: nothing shared but the key
            second = Files.readAllBytes(node.release().resolve(node.awaitOutcome(node.submit(source, "fife"), Duration.ofSeconds(60)).location()));
        }
        assertThat(second).isEqualTo(first);
    }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.haven.dicom.DicomReader;
import org.haven.store.FileRecords;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the de-identification + verification gate on the synthetic archive with its answer key, both sides:
 * every planted identifier (header, free text, SR narrative) is removed from released files or the file is held
 * (recall 100%); files whose identifiers were in free text are released, not held (yield at least 95%); clean files
 * are held by the gate at most 1%; at least 95% of the clinical words of free text survive; no file ends as
 * internal-error; burned-in text boxes of released images are blank (and there are some).
 */
class SyntheticRecallTest {
    @TempDir
    Path tmp;

    @Test
    void everyPlantedIdentifierIsRemovedOrCaught() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(20261125L).write(Integer.getInteger("haven.recall.patients", 25), archive);
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (TestNode node = TestNode.builder(tmp.resolve("node")).devices(TestNode.trustAll("research")).start()) {
            Map<AnswerKey.FileEntry, String> ids = new LinkedHashMap<>();
            for (AnswerKey.FileEntry f : key.files()) ids.put(f, node.submit(archive.resolve(f.path()), f.board()));

            int planted = 0, removed = 0, caught = 0, clean = 0, cleanHeld = 0, burned = 0, burnedGone = 0;
            int textOnly = 0, textOnlyReleased = 0, clinicalWords = 0, clinicalKept = 0, reports = 0, reportsReleased = 0;
            List<String> textHeld = new ArrayList<>();
            List<String> leaks = new ArrayList<>();
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Map.Entry<AnswerKey.FileEntry, String> e : ids.entrySet()) {
                AnswerKey.FileEntry f = e.getKey();
                FileRecords.Outcome o = node.awaitOutcome(e.getValue(), Duration.ofSeconds(120));
                outcomes.merge(o.reason() == null ? o.outcome() : o.reason(), 1, Integer::sum);
                boolean heldByGate = "quarantined".equals(o.outcome()) && o.reason().startsWith("verification:");
                if (f.clean() && f.oddity() == null) {
                    clean++;
                    if (heldByGate) cleanHeld++;
                }
                // files whose identifiers beyond the header were only in text: the cleaner must make them releasable
                boolean otherReason = "quarantined".equals(o.outcome()) && !heldByGate;
                if (!f.clean() && f.oddity() == null && !otherReason) {
                    textOnly++;
                    if ("released".equals(o.outcome())) textOnlyReleased++;
                    else textHeld.add(f.path() + " " + o.reason());
                }
                if ("SR".equals(f.modality())) {
                    reports++;
                    if ("released".equals(o.outcome())) reportsReleased++;
                }
                // the file path is never released; an issuer ("CHI", "NHS Lothian") names a numbering scheme, not a person
                List<AnswerKey.Planted> header = f.planted().stream()
                    .filter(p -> !p.path().equals(AnswerKey.FILE_PATH) && !p.kind().equals("issuer")).toList();
                planted += header.size();
                if (heldByGate) {
                    caught += header.size();
                } else if ("released".equals(o.outcome())) {
                    Path released = node.release().resolve(o.location());
                    for (AnswerKey.BurnedIn b : f.burnedIn()) {
                        burned++;
                        if (distinctColours(released, b) > 1) leaks.add(f.path() + " burned-in " + b.kind() + " at " + b.x() + "," + b.y());
                        else burnedGone++;
                    }
                    List<String> values = new ArrayList<>();
                    ReleasedFileChecks.walk(DicomReader.readAll(node.release().resolve(o.location())).attributes(), (a, v) -> values.add(norm(v).replaceAll("\\[[A-Z -]+]", " ")));  // the cleaner's [name]/[chi] placeholders
                    // clinical words of the free text (the text minus what was planted) are still there
                    String all = " " + String.join(" ", values).replaceAll("[^A-Z0-9]+", " ") + " ";
                    for (AnswerKey.FreeText t : f.freeText()) {
                        String text = norm(t.text());
                        for (AnswerKey.Planted p : f.planted()) if (p.path().equals(t.path())) text = text.replace(norm(p.value()), " ");
                        for (String w : text.split("[^A-Z]+")) {
                            if (w.length() < 3) continue;
                            clinicalWords++;
                            if (all.contains(" " + w + " ")) clinicalKept++;
                        }
                    }
                    for (AnswerKey.Planted p : header) {
                        java.util.regex.Pattern needle = java.util.regex.Pattern.compile("(?<![A-Z0-9])" + java.util.regex.Pattern.quote(norm(p.value())) + "(?![A-Z0-9])");
                        if (values.stream().anyMatch(v -> needle.matcher(v).find())) {
                            leaks.add(f.path() + " " + p.path() + " (" + p.kind() + ")");
                        } else {
                            removed++;
                        }
                    }
                } else {
                    caught += header.size(); // held for another reason (no modality, odd device): not released either
                }
            }
            double fpRate = clean == 0 ? 0 : 100.0 * cleanHeld / clean;
            double yield = textOnly == 0 ? 0 : 100.0 * textOnlyReleased / textOnly;
            double kept = clinicalWords == 0 ? 0 : 100.0 * clinicalKept / clinicalWords;
            System.out.printf("synthetic text: %d files with identifiers in free text (not held for another reason): %d released (yield %.1f%%);"
                + " structured reports %d, released %d; clinical words kept %d of %d (%.1f%%); held: %s%n",
                textOnly, textOnlyReleased, yield, reports, reportsReleased, clinicalKept, clinicalWords, kept, textHeld);
            System.out.printf("synthetic recall: %d files, %d planted header identifiers: %d removed, %d held, %d leaked;"
                + " burned-in texts in released files: %d, blank: %d; clean files held by the gate: %d of %d (%.1f%%); outcomes %s%n",
                key.files().size(), planted, removed, caught, leaks.size(), burned, burnedGone, cleanHeld, clean, fpRate, outcomes);
            assertThat(leaks).as("planted identifiers in released files").isEmpty();
            assertNoIdentifierLogged(key, logs.list);
            assertThat(removed + caught).isEqualTo(planted);
            assertThat(outcomes).containsKey("released");
            assertThat(outcomes).as("no file held as internal-error").doesNotContainKey("internal-error");
            assertThat(burned).as("burned-in boxes checked").isGreaterThan(0);
            assertThat(textOnly).as("files with identifiers in free text").isGreaterThan(20);
            assertThat(yield).as("yield: files whose identifiers were in text are released (%s)", textHeld).isGreaterThanOrEqualTo(95.0);
            assertThat(fpRate).as("clean files held by the gate").isLessThanOrEqualTo(1.0);
            assertThat(kept).as("clinical words kept").isGreaterThanOrEqualTo(95.0);
            assertThat(reports).as("structured reports planted").isGreaterThan(0);
            assertThat(reportsReleased).as("structured reports released with their cleaned narrative").isGreaterThan(0);
        }
    }

    /** No planted identifier (names, CHI, hospital numbers, addresses...) in any log line or logged exception. */
    static void assertNoIdentifierLogged(AnswerKey key, List<ch.qos.logback.classic.spi.ILoggingEvent> events) {
        StringBuilder all = new StringBuilder();
        for (ch.qos.logback.classic.spi.ILoggingEvent e : new ArrayList<>(events)) {
            all.append(e.getFormattedMessage()).append('\n');
            for (ch.qos.logback.classic.spi.IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
        }
        String logged = norm(all.toString());
        assertThat(events).as("log lines captured").isNotEmpty();
        for (AnswerKey.FileEntry f : key.files()) {
            for (AnswerKey.Planted p : f.planted()) {
                if (p.kind().equals("issuer") || p.kind().equals("study-date") || p.value().length() < 5) continue;
                java.util.regex.Pattern needle = java.util.regex.Pattern.compile("(?<![A-Z0-9])" + java.util.regex.Pattern.quote(norm(p.value())) + "(?![A-Z0-9])");
                assertThat(needle.matcher(logged).find()).as("%s (%s) of %s appears in the logs", p.kind(), p.path(), f.path()).isFalse();
            }
        }
    }

    /** Distinct colours inside a burned-in text box of a released image: 1 when the text was blanked. */
    static int distinctColours(Path released, AnswerKey.BurnedIn b) throws Exception {
        com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
        list.read(released.toString());
        java.awt.image.BufferedImage img = new com.pixelmed.display.SourceImage(list).getBufferedImage(b.frame());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = b.y(); y < Math.min(img.getHeight(), b.y() + b.height()); y++) {
            for (int x = b.x(); x < Math.min(img.getWidth(), b.x() + b.width()); x++) {
                colours.add(img.getRaster().getNumBands() == 1 ? img.getRaster().getSample(x, y, 0) : img.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** Upper case, name separators and runs of spaces as one space: "Smith^John " and "SMITH  JOHN" compare equal. */
    static String norm(String s) { return s.toUpperCase(Locale.ROOT).replaceAll("[\\s^]+", " ").trim(); }
}

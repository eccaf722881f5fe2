package org.haven.verify;

import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real corpus (../shared/corpus), before de-identification; skipped when it is absent. */
class CorpusTest {
    static final Path CORPUS = Path.of("../shared/corpus");
    static Verifier verifier;

    @BeforeAll
    static void load() { verifier = Verifier.load(Path.of("config/verify"), NameLists.EMPTY); }

    static List<Path> files() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(CORPUS.resolve("MANIFEST.tsv")), "corpus not present");
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS.resolve("MANIFEST.tsv")).stream().skip(1).toList()) {
            Path p = CORPUS.resolve(line.split("\t")[0]);
            if (Files.isRegularFile(p)) out.add(p);
        }
        return out;
    }

    @Test
    void neverThrowsOnAnyFilePixelMedCanRead() throws Exception {
        int readable = 0;
        for (Path p : files()) {
            AttributeList l;
            try {
                l = ScanCommand.read(p);
            } catch (Exception e) {
                continue;
            }
            readable++;
            VerificationReport self = verifier.scan(l, KnownIdentifiers.fromSelf(l), List.of());
            VerificationReport asSource = verifier.scan(l, KnownIdentifiers.from(l), List.of(new OcrText(1, "x", 0, 0, 1, 1)));
            assertThat(self.findings()).as(p.toString()).noneMatch(f -> f.classification().equals("verifier-error"));
            assertThat(asSource.findings()).as(p.toString()).noneMatch(f -> f.classification().equals("verifier-error"));
            assertThat(self.toJson()).isNotEmpty();
        }
        assertThat(readable).isGreaterThan(100);
    }

    /** Scanning an original against itself finds its PatientName in the PN field, for every real-looking name. */
    @Test
    void findsPatientNameInPersonNameFieldsBeforeDeidentification() throws Exception {
        int checked = 0;
        for (Path p : files()) {
            AttributeList l;
            try {
                l = ScanCommand.read(p);
            } catch (Exception e) {
                continue;
            }
            Attribute pn = l.get(TagFromName.PatientName);
            String name = pn == null ? "" : pn.getSingleStringValueOrEmptyString();
            String[] parts = name.split("[\\^=]");
            String family = parts.length == 0 ? "" : parts[0].trim();
            if (family.length() < 3 || !family.chars().allMatch(Character::isLetter)
                    || List.of("anonymized", "anonymised", "anonymous", "anon", "none", "name", "unknown", "test", "patient", "removed", "redacted").contains(family.toLowerCase(Locale.ROOT))) continue;
            checked++;
            VerificationReport r = verifier.scan(l, KnownIdentifiers.from(l), List.of());
            assertThat(r.findings()).as(p + " " + name.length())
                    .anySatisfy(f -> {
                        assertThat(f.classification()).isEqualTo("source-identifier");
                        assertThat(f.attributePath()).isEqualTo("PatientName");
                        assertThat(f.matchedText()).isEqualToIgnoringCase(family);
                    });
        }
        assertThat(checked).isGreaterThan(10);
    }

    /** Self audit: a name that appears outside the identifier attributes is reported there. */
    @Test
    void selfAuditFindsPatientNameElsewhere() throws Exception {
        Path f = CORPUS.resolve("pydicom/charset_files/chrJapMulti.dcm");
        Assumptions.assumeTrue(Files.isRegularFile(f), "chrJapMulti.dcm not in corpus");
        AttributeList l = ScanCommand.read(f);
        String given = l.get(TagFromName.PatientName).getSingleStringValueOrEmptyString().split("\\^")[1];
        assertThat(l.get(TagFromName.AdditionalPatientHistory).getSingleStringValueOrEmptyString()).contains(given);
        VerificationReport r = verifier.scan(l, KnownIdentifiers.fromSelf(l), List.of());
        assertThat(r.findings()).anySatisfy(x -> {
            assertThat(x.attributePath()).isEqualTo("AdditionalPatientHistory");
            assertThat(x.classification()).isEqualTo("source-identifier");
            assertThat(x.matchedText()).isEqualTo(given);
        });
    }

    /** The directory walk reports every file, unreadable ones included, and never stops. */
    @Test
    void scanAllCoversTheWholeCorpus() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS.resolve("pydicom")), "corpus not present");
        Path sub = CORPUS.resolve("pydicom");
        long n;
        try (Stream<Path> s = Files.walk(sub)) { n = s.filter(Files::isRegularFile).filter(x -> !x.getFileName().toString().startsWith(".")).count(); }
        List<ScanCommand.FileResult> results = ScanCommand.scanAll(verifier, sub, null);
        assertThat(results).hasSize((int) n);
        assertThat(results).anyMatch(r -> r.status().equals("failed"));
    }
}

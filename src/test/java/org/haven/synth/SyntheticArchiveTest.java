package org.haven.synth;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.display.SourceImage;
import org.haven.identifiers.ChiNumber;
import org.haven.synth.AnswerKey.BurnedIn;
import org.haven.synth.AnswerKey.FileEntry;
import org.haven.synth.AnswerKey.FreeText;
import org.haven.synth.AnswerKey.PatientFacts;
import org.haven.synth.AnswerKey.Planted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticArchiveTest {

    static final long SEED = 20261101L;
    /** More patients for a wider local check: -Dhaven.synth.testPatients=40 */
    static final int PATIENTS = Integer.getInteger("haven.synth.testPatients", 5);

    @TempDir
    static Path tmp;
    static Path out;
    static AnswerKey key;

    @BeforeAll
    static void generate() throws IOException {
        out = tmp.resolve("a");
        key = new SyntheticArchive(SEED).write(PATIENTS, out);
    }

    static AttributeList read(FileEntry f) throws Exception {
        AttributeList list = new AttributeList();
        list.read(out.resolve(f.path()).toFile());
        return list;
    }

    @Test
    void keyOnDiskMatchesReturnedKeyAndListsEveryDicomFile() throws Exception {
        assertThat(AnswerKey.read(out)).isEqualTo(key);
        assertThat(AnswerKey.read(out.resolve(AnswerKey.FILE_NAME))).isEqualTo(key);
        Set<String> onDisk;
        try (Stream<Path> s = Files.walk(out)) {
            onDisk = s.filter(p -> p.toString().endsWith(".dcm"))
                    .map(p -> out.relativize(p).toString().replace('\\', '/')).collect(Collectors.toSet());
        }
        assertThat(onDisk).isEqualTo(key.files().stream().map(FileEntry::path).collect(Collectors.toSet()));
        assertThat(key.files()).hasSizeGreaterThan(PATIENTS * 2);
        assertThat(key.files().stream().map(FileEntry::board).distinct()).contains("lothian", "glasgow", "tayside");
    }

    @Test
    void everyFileReReadsWithTheRecordedTransferSyntaxUidsAndModality() throws Exception {
        for (FileEntry f : key.files()) {
            AttributeList list = read(f);
            assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID)).as(f.path()).isEqualTo(f.transferSyntax());
            assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.SOPInstanceUID)).as(f.path()).isEqualTo(f.sopInstanceUid());
            assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.SOPClassUID)).as(f.path()).isEqualTo(f.sopClassUid());
            assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.StudyInstanceUID)).isEqualTo(f.studyInstanceUid());
            assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.SeriesInstanceUID)).isEqualTo(f.seriesInstanceUid());
            assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.Modality)).as(f.path()).isEqualTo(f.modality());
            assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, -1)).isEqualTo(f.rows());
            assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, -1)).isEqualTo(f.columns());
            assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.PhotometricInterpretation)).isEqualTo(f.photometricInterpretation());
            assertThat(f.sopInstanceUid()).startsWith("2.25.").hasSizeLessThanOrEqualTo(64);
            if (!"SR".equals(f.modality())) assertThat(list.get(TagFromName.PixelData)).as(f.path()).isNotNull();
        }
        // variety the rest of Haven relies on
        assertThat(key.files().stream().map(FileEntry::transferSyntax).distinct())
                .contains(SyntheticArchive.EXPLICIT_LE, SyntheticArchive.IMPLICIT_LE);
        assertThat(key.files().stream().map(FileEntry::modality).distinct()).contains("CT", "US", "OT");
        assertThat(key.files().stream().map(FileEntry::sopInstanceUid).distinct()).hasSize(key.files().size());
    }

    @Test
    void everyPlantedValueIsReallyAtItsPath() throws Exception {
        int checked = 0;
        Map<String, Integer> perKind = new TreeMap<>();
        for (FileEntry f : key.files()) {
            AttributeList list = read(f);
            for (Planted p : f.planted()) {
                if (p.path().equals(AnswerKey.FILE_PATH)) {
                    assertThat(f.path()).as("%s %s", f.path(), p.kind()).contains(p.value());
                } else {
                    String actual = DicomPath.value(list, p.path());
                    assertThat(actual).as("%s %s", f.path(), p.path()).isNotNull().contains(p.value());
                }
                assertThat(p.value()).isNotBlank();
                perKind.merge(p.kind(), 1, Integer::sum);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(key.files().size() * 8);
        assertThat(perKind).containsKeys("name", "chi", "accession", "birth-date", "staff-name", "institution");
        // private tags and nested items were planted and read back (implicit VR files included)
        List<String> paths = key.files().stream().flatMap(f -> f.planted().stream()).map(Planted::path).toList();
        assertThat(paths).contains("(0009,1010)", "OtherPatientIDsSequence[0].PatientID",
                "RequestAttributesSequence[0].AccessionNumber");
    }

    @Test
    void plantedPatientIdentifiersAgreeWithThePatientFacts() {
        for (FileEntry f : key.files()) {
            PatientFacts pf = f.patient();
            for (Planted p : f.planted()) {
                String digitsOnly = p.value().replace(" ", "");
                switch (p.kind()) {
                    case "chi" -> assertThat(digitsOnly).isEqualTo(pf.chi());
                    case "birth-date" -> assertThat(p.value()).isEqualTo(pf.birthDate().replace("-", ""));
                    case "hospital-number" -> assertThat(p.value()).isEqualTo(pf.hospitalNumber());
                    case "postcode" -> assertThat(p.value()).isEqualTo(pf.postcode());
                    case "name" -> assertThat(p.value().toLowerCase()).containsAnyOf(
                            pf.familyName().toLowerCase(), pf.familyName().toLowerCase().replace("'", ""));
                    default -> { }
                }
            }
        }
    }

    @Test
    void chiNumbersAreValidAndMatchBirthDateAndSex() {
        Set<PatientFacts> patients = key.files().stream().map(FileEntry::patient).collect(Collectors.toSet());
        assertThat(patients).hasSize(PATIENTS);
        for (PatientFacts p : patients) assertChi(p.chi(), LocalDate.parse(p.birthDate()), p.sex().charAt(0), p.chiCheck());
    }

    @Test
    void chiGeneratorGivesModulus11MostlyAndLuhnSometimes() {
        java.util.Random r = new java.util.Random(5);
        int luhn = 0;
        for (int i = 0; i < 2000; i++) {
            LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(r.nextInt(30000));
            char sex = r.nextBoolean() ? 'M' : 'F';
            boolean useLuhn = r.nextInt(20) == 0;
            assertChi(Fakes.chi(r, birth, sex, useLuhn), birth, sex, useLuhn ? "luhn" : "mod11");
            if (useLuhn) luhn++;
        }
        assertThat(luhn).isBetween(40, 170);
    }

    static void assertChi(String chi, LocalDate birth, char sex, String check) {
        assertThat(chi).matches("\\d{10}");
        assertThat(ChiNumber.isValid(chi)).as(chi).isTrue();
        assertThat(chi.substring(0, 6)).isEqualTo(birth.format(DateTimeFormatter.ofPattern("ddMMyy")));
        assertThat(ChiNumber.sex(chi)).isEqualTo(sex);
        int digit = chi.charAt(9) - '0';
        int mod11 = ChiNumber.mod11CheckDigit(chi.substring(0, 9));
        if (check.equals("mod11")) {
            assertThat(digit).as(chi).isEqualTo(mod11);
        } else {
            assertThat(check).isEqualTo("luhn");
            assertThat(digit).as(chi).isEqualTo(ChiNumber.luhnCheckDigit(chi.substring(0, 9))).isNotEqualTo(mod11);
        }
    }

    @Test
    void sameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws Exception {
        Path again = tmp.resolve("b");
        new SyntheticArchive(SEED).write(PATIENTS, again);
        assertThat(hashes(again)).isEqualTo(hashes(out));

        Path other = tmp.resolve("c");
        new SyntheticArchive(SEED + 1).write(PATIENTS, other);
        assertThat(hashes(other).get(AnswerKey.FILE_NAME)).isNotEqualTo(hashes(out).get(AnswerKey.FILE_NAME));
    }

    @Test
    void morePatientsExtendFewerPatients() throws Exception {
        Path small = tmp.resolve("small");
        AnswerKey smallKey = new SyntheticArchive(SEED).write(2, small);
        Map<String, String> big = hashes(out);
        Map<String, String> little = hashes(small);
        little.remove(AnswerKey.FILE_NAME);
        assertThat(big).containsAllEntriesOf(little);
        assertThat(key.files()).containsAll(smallKey.files());
    }

    static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                m.put(root.relativize(p).toString(), HexFormat.of().formatHex(d));
            }
        }
        return m;
    }

    @Test
    void burnedInTextIsInThePixelsInsideTheBoxes() throws Exception {
        int boxes = 0;
        for (FileEntry f : key.files()) {
            if (f.burnedIn().isEmpty()) continue;
            assertThat(f.modality()).isIn("US", "OT", null); // null: the odd file without Modality
            SourceImage image = new SourceImage(read(f));
            assertThat(image.getNumberOfBufferedImages()).isEqualTo(f.frames());
            for (BurnedIn b : f.burnedIn()) {
                BufferedImage img = image.getBufferedImage(b.frame());
                assertThat(b.x() + b.width()).isLessThanOrEqualTo(img.getWidth());
                assertThat(b.y() + b.height()).isLessThanOrEqualTo(img.getHeight());
                assertThat(b.height()).as("font at least 12 px").isGreaterThanOrEqualTo(12);
                int bright = 0, dark = 0;
                for (int y = b.y(); y < b.y() + b.height(); y++) {
                    for (int x = b.x(); x < b.x() + b.width(); x++) {
                        int v = maxChannel(img.getRGB(x, y));
                        if (v >= 200) bright++;
                        if (v <= 10) dark++;
                    }
                }
                assertThat(bright).as("text pixels in %s box %s", f.path(), b).isGreaterThan(4 * b.text().length());
                assertThat(dark).as("background pixels in %s box %s", f.path(), b).isGreaterThan(bright);
                boxes++;
            }
        }
        assertThat(boxes).as("some burned-in text in the sample").isGreaterThan(3);
        assertThat(key.files()).as("a multi-frame ultrasound with text on later frames (patient 0 always has one)")
                .anyMatch(f -> f.frames() > 1 && f.burnedIn().stream().anyMatch(b -> b.frame() == f.frames() - 1));
        assertThat(key.files().stream().flatMap(f -> f.burnedIn().stream()).map(BurnedIn::kind))
                .contains("name", "date");
    }

    @Test
    void ultrasoundHasRegionsAndTheBurnedTextIsOutsideThem() throws Exception {
        int us = 0;
        for (FileEntry f : key.files()) {
            if (!"US".equals(f.modality())) continue;
            us++;
            AttributeList list = read(f);
            SequenceAttribute regions = (SequenceAttribute) list.get(TagFromName.SequenceOfUltrasoundRegions);
            assertThat(regions).as(f.path()).isNotNull();
            assertThat(regions.getNumberOfItems()).isEqualTo(1);
            AttributeList region = regions.getItem(0).getAttributeList();
            int minX = Attribute.getSingleIntegerValueOrDefault(region, TagFromName.RegionLocationMinX0, -1);
            int minY = Attribute.getSingleIntegerValueOrDefault(region, TagFromName.RegionLocationMinY0, -1);
            int maxX = Attribute.getSingleIntegerValueOrDefault(region, TagFromName.RegionLocationMaxX1, -1);
            int maxY = Attribute.getSingleIntegerValueOrDefault(region, TagFromName.RegionLocationMaxY1, -1);
            assertThat(minX).isGreaterThanOrEqualTo(0);
            assertThat(minY).isPositive();
            assertThat(maxX).isLessThan(f.columns());
            assertThat(maxY).isLessThan(f.rows());
            for (BurnedIn b : f.burnedIn()) {
                boolean overlaps = b.x() <= maxX && b.x() + b.width() - 1 >= minX && b.y() <= maxY && b.y() + b.height() - 1 >= minY;
                assertThat(overlaps).as("%s box %s inside the region", f.path(), b).isFalse();
            }
            if (!f.burnedIn().isEmpty()) {
                // every bright pixel above the region belongs to a recorded box: the key misses no text
                SourceImage image = new SourceImage(list);
                for (int frame = 0; frame < f.frames(); frame++) {
                    BufferedImage img = image.getBufferedImage(frame);
                    for (int y = 0; y < minY; y++) {
                        for (int x = 0; x < f.columns(); x++) {
                            if (maxChannel(img.getRGB(x, y)) < 100) continue;
                            int fx = x, fy = y, fr = frame;
                            assertThat(f.burnedIn()).as("%s pixel (%d,%d) frame %d", f.path(), x, y, frame)
                                    .anyMatch(b -> b.frame() == fr && fx >= b.x() && fx < b.x() + b.width()
                                            && fy >= b.y() && fy < b.y() + b.height());
                        }
                    }
                }
            }
        }
        assertThat(us).isPositive();
    }

    static int maxChannel(int rgb) {
        return Math.max((rgb >> 16) & 0xff, Math.max((rgb >> 8) & 0xff, rgb & 0xff));
    }

    @Test
    void cleanFlagMatchesFreeTextAndBothKindsOccur() {
        for (FileEntry f : key.files()) {
            boolean identifying = f.freeText().stream().anyMatch(FreeText::identifying);
            assertThat(f.clean()).as(f.path()).isEqualTo(!identifying);
            for (FreeText t : f.freeText()) {
                List<Planted> here = f.planted().stream().filter(p -> p.path().equals(t.path())).toList();
                if (t.identifying()) {
                    assertThat(here).as("%s %s", f.path(), t.path()).isNotEmpty();
                    here.forEach(p -> assertThat(t.text()).contains(p.value()));
                } else {
                    assertThat(here).as("%s %s", f.path(), t.path()).isEmpty();
                    assertThat(t.text()).doesNotContainPattern("\\b" + java.util.regex.Pattern.quote(f.patient().familyName()) + "\\b")
                            .doesNotContain(f.patient().chi());
                }
            }
        }
        assertThat(key.files()).anyMatch(FileEntry::clean).anyMatch(f -> !f.clean());
    }

    @Test
    void postcodesAndPhonesFollowTheRules() {
        Set<PatientFacts> patients = key.files().stream().map(FileEntry::patient).collect(Collectors.toSet());
        for (PatientFacts p : patients) {
            assertThat(p.postcode()).matches("(EH|G|PA|ML|DD|PH|KY|FK|AB|IV|KA|DG|TD|KW|ZE|HS)\\d{1,2} \\d[ABD-HJLNP-UW-Z]{2}");
            assertThat(p.address()).endsWith(p.postcode());
            assertThat(p.phone()).matches("0131 496 0\\d{3}|0141 496 0\\d{3}|01632 960\\d{3}|07700 900\\d{3}|\\+44 (131 496 0|141 496 0|1632 960|7700 900)\\d{3}");
        }
        // the generator's own postcode function over many draws
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 500; i++) {
            for (Fakes.PostcodeArea a : Fakes.SCOTTISH_AREAS) {
                assertThat(Fakes.postcode(r, a)).matches(a.area() + "\\d{1,2} \\d[ABD-HJLNP-UW-Z]{2}");
            }
        }
    }
}

package org.haven.pixel.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.ValueRepresentation;

import org.haven.pixel.BurnedInRisk;
import org.haven.pixel.PixelRedactor;
import org.haven.pixel.PixelRule;
import org.haven.pixel.PixelRules;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The imported library rules in config/pixels: each committed file is what a fresh import of the published library
 * gives, and every imported rule matches an image made to its signature and blanks exactly its rectangles there.
 */
class PixelLibraryTest {

    static final Path LIBRARIES = Path.of(System.getProperty("haven.reference", "../shared/reference"), "pixel-libraries");
    static final Path CONFIG = Path.of("config/pixels");

    /** committed file → (library file, format, library name, id prefix), as scripts/import-pixel-libraries.sh runs them. */
    record Import(String committed, String library, PixelLibraryImport.Format format, String name, String prefix) {}

    static final List<Import> IMPORTS = List.of(
            new Import("95-library-smi.yaml", "deid.dicom.smi", PixelLibraryImport.Format.DEID, "SMI dicompixelanon 9ed26b1, Apache-2.0", "smi"),
            new Import("96-library-ctp.yaml", "ctp-DicomPixelAnonymizer.script", PixelLibraryImport.Format.CTP, "RSNA CTP 361e90f, RSNA Public License", "ctp"),
            new Import("97-library-deid.yaml", "deid.dicom", PixelLibraryImport.Format.DEID, "pydicom/deid 8d26fca, MIT", "deid"));

    @Test
    void committedRulesAreAFreshImportOfThePublishedLibraries() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LIBRARIES), "../shared/reference/pixel-libraries absent");
        for (Import i : IMPORTS) {
            PixelLibraryImport.Result r = PixelLibraryImport.run(LIBRARIES.resolve(i.library()), i.format(), i.name(), i.prefix(), null);
            assertThat(r.yaml()).as("%s re-imported from %s", i.committed(), i.library())
                    .isEqualTo(Files.readString(CONFIG.resolve(i.committed()), StandardCharsets.UTF_8));
            assertThat(r.rules()).as("rules from %s", i.library()).isGreaterThan(0);
            // nothing dropped silently: every signature is a rule or a reported skip
            long skips = r.report().stream().filter(l -> l.startsWith("skipped ")).count();
            assertThat(r.rules() + skips).as("signatures of %s", i.library()).isEqualTo(r.signatures());
        }
    }

    @Test
    void ctpLibraryIsCompleteAndDeidGraylistMostlyTranslated() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LIBRARIES), "../shared/reference/pixel-libraries absent");
        PixelLibraryImport.Result ctp = PixelLibraryImport.run(LIBRARIES.resolve("ctp-DicomPixelAnonymizer.script"), PixelLibraryImport.Format.CTP, null, null, null);
        assertThat(ctp.signatures()).isEqualTo(52);
        assertThat(ctp.rules()).isEqualTo(52);
        PixelLibraryImport.Result deid = PixelLibraryImport.run(LIBRARIES.resolve("deid.dicom"), PixelLibraryImport.Format.DEID, null, null, null);
        // the misspelt keywords in deid's own recipe are reported, not guessed
        assertThat(deid.report()).anyMatch(l -> l.contains("unknown DICOM keyword 'Manfacturer'"));
        assertThat(deid.report()).anyMatch(l -> l.contains("whitelist"));
        assertThat(deid.rules()).isGreaterThanOrEqualTo(100);
    }

    /** Every imported rule: an image made to its signature matches it, and blanking clears its rectangles only. */
    @Test
    void everyImportedRuleMatchesItsSignatureAndBlanksItsBoxes() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LIBRARIES), "../shared/reference/pixel-libraries absent");
        PixelRules all = PixelRules.load(CONFIG);
        int checked = 0;
        for (Import i : IMPORTS) {
            List<LibraryEntry> entries = i.format() == PixelLibraryImport.Format.CTP
                    ? CtpScript.parse(Files.readString(LIBRARIES.resolve(i.library())))
                    : DeidRecipe.parse(Files.readString(LIBRARIES.resolve(i.library())));
            for (LibraryEntry e : entries) {
                if (e.skipped() != null) continue;
                PixelRule rule = all.rules().stream().filter(r -> r.id().startsWith(i.prefix() + "-" + e.line() + "-") || r.id().equals(i.prefix() + "-" + e.line()))
                        .findFirst().orElse(null);
                if (rule == null) continue; // dropped by the writer (rectangles outside the image): in the file's closing comments
                AttributeList image = imageFor(e, rule);
                assertThat(rule.matches(image)).as("%s matches an image made to its signature %s", rule.id(), e.original()).isTrue();
                if (rule.keepUltrasoundRegions()) {
                    checked++;
                    continue;
                }
                new PixelRedactor().redact(image, rule);
                byte[] px = image.get(TagFromName.PixelData).getByteValues();
                int rows = Attribute.getSingleIntegerValueOrDefault(image, TagFromName.Rows, 0);
                int cols = Attribute.getSingleIntegerValueOrDefault(image, TagFromName.Columns, 0);
                boolean[] inBox = new boolean[rows * cols];
                for (PixelRule.Region region : rule.blank()) {
                    var b = region.box();
                    for (int y = b.y(); y < Math.min(rows, b.y() + b.height()); y++) {
                        for (int x = b.x(); x < Math.min(cols, b.x() + b.width()); x++) inBox[y * cols + x] = true;
                    }
                }
                int outside = 0, unblanked = 0;
                for (int p = 0; p < inBox.length; p++) {
                    if (inBox[p] && px[p] != 0) unblanked++;
                    else if (!inBox[p] && px[p] != 0) outside++;
                }
                assertThat(unblanked).as("%s: pixels inside its boxes left unblanked", rule.id()).isZero();
                boolean wholeImage = rule.blank().stream().anyMatch(r -> r.box().width() >= cols && r.box().height() >= rows);
                if (!wholeImage) assertThat(outside).as("%s leaves pixels outside its boxes", rule.id()).isGreaterThan(0);
                checked++;
            }
        }
        assertThat(checked).as("imported rules checked").isGreaterThanOrEqualTo(150);
    }

    // ------------------------------------------------------------------------------------------ signature images

    /** An 8-bit image whose header satisfies the entry's condition (first branch of each "or", nothing for "not"). */
    static AttributeList imageFor(LibraryEntry e, PixelRule rule) throws Exception {
        Map<String, String> values = new HashMap<>();
        satisfy(e.condition(), values);
        AttributeList l = new AttributeList();
        set(l, "TransferSyntaxUID", TransferSyntax.ExplicitVRLittleEndian);
        set(l, "SOPClassUID", "1.2.840.10008.5.1.4.1.1.7");
        for (Map.Entry<String, String> v : values.entrySet()) set(l, v.getKey(), v.getValue());
        if (!BurnedInRisk.assess(l).atRisk() && !values.containsKey("BurnedInAnnotation")) set(l, "BurnedInAnnotation", "YES");
        int maxX = 64, maxY = 64;
        for (PixelRule.Region r : rule.blank()) {
            if (r.box().width() < 10000) maxX = Math.max(maxX, r.box().x() + r.box().width() + 16);
            if (r.box().height() < 10000) maxY = Math.max(maxY, r.box().y() + r.box().height() + 16);
        }
        int rows = values.containsKey("Rows") ? Integer.parseInt(values.get("Rows")) : maxY;
        int cols = values.containsKey("Columns") ? Integer.parseInt(values.get("Columns")) : maxX;
        set(l, "Rows", Integer.toString(rows));
        set(l, "Columns", Integer.toString(cols));
        set(l, "SamplesPerPixel", "1");
        set(l, "BitsAllocated", "8");
        set(l, "BitsStored", "8");
        set(l, "HighBit", "7");
        set(l, "PixelRepresentation", "0");
        set(l, "PhotometricInterpretation", "MONOCHROME2");
        byte[] px = new byte[rows * cols];
        for (int p = 0; p < px.length; p++) px[p] = (byte) (1 + p % 200);
        OtherByteAttribute pd = new OtherByteAttribute(TagFromName.PixelData);
        pd.setValues(px);
        l.put(pd);
        return l;
    }

    private static void satisfy(Condition c, Map<String, String> values) {
        if (c instanceof Condition.And a) {
            for (Condition p : a.parts()) satisfy(p, values);
        } else if (c instanceof Condition.Or o) {
            satisfy(o.parts().get(0), values);
        } else if (c instanceof Condition.Test t) {
            switch (t.op()) {
                case "present" -> {
                    if (t.value().equals("true")) values.putIfAbsent(t.attribute(), "PRESENT");
                }
                case "equals" -> values.put(t.attribute(), t.value());
                case "search" -> values.merge(t.attribute(), example(t.value()), (a, b) -> a + " " + b);
                default -> values.merge(t.attribute(), t.value(), (a, b) -> a + " " + b);
            }
        }
        // Not: an absent attribute satisfies the libraries' negated tests
    }

    /** A string the regular expression finds: its first alternative, which in these libraries is a plain word. */
    private static String example(String regex) {
        String first = regex.split("\\|")[0];
        Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        for (String candidate : List.of(first, first.replaceAll("[+*?]", ""))) {
            if (p.matcher(candidate).find()) return candidate;
        }
        throw new AssertionError("no example text for /" + regex + "/");
    }

    private static void set(AttributeList l, String name, String value) throws Exception {
        AttributeTag tag;
        var m = java.util.regex.Pattern.compile("\\(([0-9A-F]{4}),([0-9A-F]{4})\\)").matcher(name);
        if (m.matches()) tag = new AttributeTag(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16));
        else tag = AttributeList.getDictionary().getTagFromName(name);
        byte[] vr = tag.isPrivate() ? ValueRepresentation.LO : AttributeList.getDictionary().getValueRepresentationFromTag(tag);
        if (ValueRepresentation.isSequenceVR(vr)) {
            l.put(new com.pixelmed.dicom.SequenceAttribute(tag));
            ((com.pixelmed.dicom.SequenceAttribute) l.get(tag)).addItem(new AttributeList());
            return;
        }
        Attribute a = AttributeFactory.newAttribute(tag, vr);
        a.addValue(value);
        l.put(a);
    }

    @Test
    void deidFoldsLeftToRightWithoutPrecedence() {
        List<LibraryEntry> e = DeidRecipe.parse("""
                %filter graylist
                LABEL x
                  contains Modality CT
                  + contains ImageType SCREEN SAVE || contains SeriesDescription Dose
                  coordinates 0,0,512,121
                """);
        assertThat(e).hasSize(1);
        Condition c = e.get(0).condition();
        // (Modality and ImageType) or SeriesDescription, as deid's evaluate_group reads it
        assertThat(c).isInstanceOf(Condition.Or.class);
        assertThat(((Condition.Or) c).parts().get(0)).isInstanceOf(Condition.And.class);
        assertThat(e.get(0).boxes().get(0)).containsExactly(0, 0, 512, 121);
    }

    @Test
    void ctpPrecedenceAndNegation() {
        List<LibraryEntry> e = CtpScript.parse("""
                ****
                  CT
                ****
                Maker
                  { Modality.equals("CT") * !SeriesDescription.contains("x") + [0019,1010].startsWith("A") }
                  (1,2,3,4) (5,6,7,8)
                """);
        assertThat(e).hasSize(1);
        assertThat(e.get(0).label()).isEqualTo("CT / Maker");
        Condition c = e.get(0).condition();
        assertThat(c).isInstanceOf(Condition.Or.class);
        Condition and = ((Condition.Or) c).parts().get(0);
        assertThat(and).isInstanceOf(Condition.And.class);
        assertThat(((Condition.And) and).parts().get(1)).isInstanceOf(Condition.Not.class);
        assertThat(((Condition.Or) c).parts().get(1)).isEqualTo(new Condition.Test("(0019,1010)", "starts-with", "A"));
        assertThat(e.get(0).boxes()).hasSize(2);
    }

    @Test
    void untranslatableSignaturesAreReportedWithTheirLine() {
        List<LibraryEntry> e = CtpScript.parse("""
                ****
                  US
                ****
                X
                  { Modality.isBlank("US") }
                  (0,0,10,10)
                  { Modality.equals("US") }
                """);
        assertThat(e).hasSize(2);
        assertThat(e.get(0).skipped()).contains("isBlank");
        assertThat(e.get(0).line()).isEqualTo(5);
        assertThat(e.get(1).skipped()).contains("no rectangles");
        List<String> lines = new ArrayList<>();
        for (LibraryEntry x : e) lines.add(x.line() + ":" + x.skipped());
        assertThat(lines).hasSize(2);
    }
}

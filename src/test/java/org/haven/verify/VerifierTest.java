package org.haven.verify;

import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whole datasets: recursion, private tags, SR text, OCR, allowed values, the report. */
class VerifierTest {
    static Verifier verifier;

    @BeforeAll
    static void load() { verifier = Verifier.load(Path.of("config/verify"), NameLists.of(Set.of("Morag"), Set.of("Henderson"))); }

    /** A source header with identifiers. */
    static AttributeList original() {
        AttributeList l = new AttributeList();
        Dicom.put(l, TagFromName.PatientName, "HENDERSON^MORAG^ELSPETH");
        Dicom.put(l, TagFromName.PatientID, "G7654321");
        Dicom.put(l, TagFromName.PatientBirthDate, "19750412");
        Dicom.put(l, TagFromName.AccessionNumber, "RAD20190001");
        Dicom.put(l, TagFromName.PatientAddress, "12 Byres Road^Glasgow^G12 8QQ");
        Dicom.put(l, TagFromName.ReferringPhysicianName, "MACLEAN^IAIN");
        Dicom.put(l, TagFromName.StudyDescription, "CT HEAD W/O CONTRAST");
        return l;
    }

    /** What a good de-identification of it looks like. */
    static AttributeList clean() {
        AttributeList l = new AttributeList();
        Dicom.put(l, TagFromName.PatientName, "HVN-7F3K2");
        Dicom.put(l, TagFromName.PatientID, "HVN-7F3K2");
        Dicom.put(l, TagFromName.StudyDate, "20190301");
        Dicom.put(l, TagFromName.StudyDescription, "CT HEAD W/O CONTRAST");
        Dicom.put(l, TagFromName.SeriesDescription, "Topogram 0.6 T20f");
        Dicom.put(l, TagFromName.StudyInstanceUID, "2.25.1204850011765432101204850011");
        Dicom.put(l, TagFromName.SliceThickness, "1204850011");
        Dicom.put(l, TagFromName.Manufacturer, "SIEMENS");
        Dicom.put(l, TagFromName.ManufacturerModelName, "SOMATOM Definition Edge");
        return l;
    }

    static final List<String> PSEUDONYM = List.of("HVN-7F3K2");

    @Test
    void cleanOutputPasses() {
        VerificationReport r = verifier.scan(clean(), KnownIdentifiers.from(original()), List.of(), PSEUDONYM);
        assertThat(r.findings()).isEmpty();
        assertThat(r.passed()).isTrue();
        assertThat(r.primaryClassification()).isNull();
    }

    @Test
    void pseudonymIsReportedWhenNotDeclaredAllowed() {
        // without the allowed value the PN value is judged on its own: one word, not a listed name, so no name finding;
        // but the name rule is not the only check: if the pseudonym were the original name, cross-match fires
        AttributeList l = clean();
        Dicom.put(l, TagFromName.PatientName, "HENDERSON^MORAG");
        VerificationReport r = verifier.scan(l, KnownIdentifiers.from(original()), List.of(), PSEUDONYM);
        assertThat(r.passed()).isFalse();
        assertThat(r.findings()).extracting(Finding::classification, Finding::attributePath, Finding::matchedText)
                .contains(tuple("source-identifier", "PatientName", "HENDERSON"), tuple("source-identifier", "PatientName", "MORAG"));
        assertThat(r.primaryClassification()).isEqualTo("source-identifier");
    }

    @Test
    void structuredReportTextIsScannedRecursivelyWithItemNumbers() {
        AttributeList l = clean();
        AttributeList item1 = Dicom.put(new AttributeList(), TagFromName.TextValue, "No acute abnormality.");
        AttributeList item2 = Dicom.put(new AttributeList(), TagFromName.TextValue, "Discussed with Morag's GP; Mrs Henderson to attend.");
        l.put(Dicom.sequence(TagFromName.ContentSequence, item1, item2));
        VerificationReport r = verifier.scan(l, KnownIdentifiers.from(original()), List.of(), PSEUDONYM);
        assertThat(r.findings()).extracting(Finding::classification, Finding::attributePath, Finding::offset, Finding::matchedText)
                .contains(tuple("source-identifier", "ContentSequence[2].TextValue", 15, "Morag"),
                        tuple("source-identifier", "ContentSequence[2].TextValue", 31, "Henderson"))
                .noneMatch(t -> ((String) t.toList().get(1)).startsWith("ContentSequence[1]"));
        // the title rule also saw "Mrs Henderson"; it contains the source-identifier span but is not inside it, so both stay
        assertThat(r.findings()).extracting(Finding::matchedText).contains("Mrs Henderson");
    }

    @Test
    void birthDateInManyRenderings() {
        for (String text : List.of("DOB 12/04/1975", "born 12th April 1975", "DOB: April 12, 1975", "dob 1975-04-12", "12-Apr-1975", "19750412")) {
            VerificationReport r = verifier.scanText("PatientComments", "LT", text, KnownIdentifiers.from(original()));
            assertThat(r.findings()).as(text).extracting(Finding::classification).containsExactly("source-identifier");
        }
        // a different date is just a date
        assertThat(verifier.scanText("PatientComments", "LT", "seen 13/04/1975", KnownIdentifiers.from(original())).findings())
                .extracting(Finding::classification).containsExactly("date");
    }

    @Test
    void otherSourceIdentifiers() {
        KnownIdentifiers src = KnownIdentifiers.from(original());
        assertThat(verifier.scanText("StudyID", "SH", "G7654321", src).findings()).extracting(Finding::classification).containsExactly("source-identifier");
        assertThat(verifier.scanText("RequestedProcedureDescription", "LO", "acc rad20190001", src).findings()).extracting(Finding::matchedText).containsExactly("rad20190001");
        assertThat(verifier.scanText("AdditionalPatientHistory", "LT", "lives 12 byres road", src).findings()).extracting(Finding::matchedText).containsExactly("12 byres road");
        assertThat(verifier.scanText("AdditionalPatientHistory", "LT", "ref Dr Maclean", src).findings()).extracting(Finding::classification).contains("source-identifier", "name");
        // word-bounded: a name part inside another word is not a match
        assertThat(verifier.scanText("AdditionalPatientHistory", "LT", "MORAGH", src).findings()).isEmpty();
        // a town alone is not taken from the address
        assertThat(verifier.scanText("InstitutionName", "LO", "Glasgow Royal Infirmary", src).findings()).isEmpty();
        // a patient ID as a UID component
        assertThat(KnownIdentifiers.of(Map.of(KnownIdentifiers.PATIENT_ID, List.of("7654321"))).values()).hasSize(1);
        assertThat(verifier.scanText("StudyInstanceUID", "UI", "1.2.826.0.1.7654321.5",
                KnownIdentifiers.of(Map.of(KnownIdentifiers.PATIENT_ID, List.of("7654321")))).findings())
                .extracting(Finding::ruleId).containsExactly("source-identifier-in-uid");
    }

    /** An ID or accession number is found however it is split (the detector compares without separators first). */
    @Test
    void identifiersWrittenWithSeparators() {
        KnownIdentifiers src = KnownIdentifiers.from(original());
        for (String text : List.of("pt g 765 4321 seen", "ID: G-765-4321", "G7654321", "acc RAD/2019/0001.", "rad 2019 0001")) {
            assertThat(verifier.scanText("AdditionalPatientHistory", "LT", text, src).findings()).as(text)
                .extracting(Finding::classification).contains("source-identifier");
        }
        for (String text : List.of("G765432", "xG7654321", "RAD2019000", "7654321")) {
            assertThat(verifier.scanText("AdditionalPatientHistory", "LT", text, src).findings()).as(text)
                .extracting(Finding::classification).doesNotContain("source-identifier");
        }
    }

    @Test
    void privateTagsThatSurvivedAreScanned() {
        AttributeList l = clean();
        Dicom.putPrivate(l, 0x0009, 0x1010, "ACME_1", "ref 1204850011");
        VerificationReport r = verifier.scan(l, KnownIdentifiers.from(original()), List.of(), PSEUDONYM);
        assertThat(r.findings()).extracting(Finding::classification, Finding::attributePath, Finding::offset)
                .containsExactly(tuple("chi", "(0009,1010)", 4));
    }

    @Test
    void ocrTextIsScanned() {
        List<OcrText> ocr = List.of(new OcrText(1, "HENDERSON M 12/04/1975", 10, 20, 200, 16), new OcrText(1, "L", 0, 0, 5, 5));
        VerificationReport r = verifier.scan(clean(), KnownIdentifiers.from(original()), ocr, PSEUDONYM);
        assertThat(r.findings()).extracting(Finding::attributePath).containsOnly("OCR[frame=1,x=10,y=20,w=200,h=16]");
        assertThat(r.findings()).extracting(Finding::matchedText).containsExactly("HENDERSON", "12/04/1975");
    }

    @Test
    void selfAuditSkipsTheIdentifierAttributesThemselves() {
        AttributeList l = original();
        Dicom.put(l, TagFromName.ImageComments, "Henderson, left");
        VerificationReport r = verifier.scan(l, KnownIdentifiers.fromSelf(l), List.of());
        assertThat(r.findings()).filteredOn(f -> f.classification().equals("source-identifier"))
                .extracting(Finding::attributePath, Finding::matchedText).containsExactly(tuple("ImageComments", "Henderson"));
        // against itself as a source, the PN field is where the name is found
        VerificationReport asSource = verifier.scan(l, KnownIdentifiers.from(l), List.of());
        assertThat(asSource.findings()).extracting(Finding::classification, Finding::attributePath)
                .contains(tuple("source-identifier", "PatientName"));
    }

    @Test
    void allowlistAndAllowedValuesSuppress() {
        AttributeList l = clean();
        Dicom.put(l, TagFromName.ImageComments, "Dr Topogram reviewed HVN-7F3K2");
        assertThat(verifier.scan(l, KnownIdentifiers.none(), List.of(), PSEUDONYM).findings()).isEmpty();
        // the same pseudonym text in a name-shaped context is found when not declared
        Dicom.put(l, TagFromName.ImageComments, "Dr Xyzzy reviewed");
        assertThat(verifier.scan(l, KnownIdentifiers.none(), List.of(), PSEUDONYM).findings()).extracting(Finding::matchedText).containsExactly("Dr Xyzzy");
    }

    @Test
    void jsonReport() throws Exception {
        AttributeList l = clean();
        Dicom.put(l, TagFromName.ImageComments, "call 0141 211 4000 re G12 8QQ");
        VerificationReport r = verifier.scan(l, KnownIdentifiers.from(original()), List.of(), PSEUDONYM);
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertThat(json.get("passed").asBoolean()).isFalse();
        assertThat(json.get("primaryClassification").asText()).isEqualTo("source-identifier"); // G12 8QQ is in the source address
        assertThat(json.get("findings")).hasSize(2);
        JsonNode phone = json.get("findings").get(0);
        assertThat(phone.get("classification").asText()).isEqualTo("phone");
        assertThat(phone.get("ruleId").asText()).isEqualTo("phone");
        assertThat(phone.get("attributePath").asText()).isEqualTo("ImageComments");
        assertThat(phone.get("offset").asInt()).isEqualTo(5);
        assertThat(phone.get("matchedText").asText()).isEqualTo("0141 211 4000");
        assertThat(json.get("counts").get("phone").asInt()).isEqualTo(1);
        assertThat(r.toString()).doesNotContain("0141");
    }

    /** A kept private OB value (a CSA header, a GE protocol block) whose bytes hide the patient's name. */
    static AttributeList withPrivateBlob(byte[] blob) throws Exception {
        AttributeList l = clean();
        Attribute c = new com.pixelmed.dicom.LongStringAttribute(new com.pixelmed.dicom.AttributeTag(0x0025, 0x0010));
        c.addValue("GEMS_SERS_01");
        l.put(c);
        Attribute a = new com.pixelmed.dicom.OtherByteAttribute(new com.pixelmed.dicom.AttributeTag(0x0025, 0x101B));
        a.setValues(blob);
        l.put(a);
        return l;
    }

    @Test
    void textInsideAKeptPrivateBlobIsScannedPlainOrGzipped() throws Exception {
        byte[] text = "\0\1\2SCANTYPE \"EPI\"\nTE \"Min Full\"\nPATNAME \"HENDERSON\"\n\3\4".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        gz.write(new byte[] {0, 0, 1, 0});   // GE puts the length first
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) { z.write(text); }
        for (byte[] blob : List.of(text, gz.toByteArray())) {
            VerificationReport r = verifier.scan(withPrivateBlob(blob), KnownIdentifiers.from(original()), List.of(), PSEUDONYM);
            assertThat(r.findings()).extracting(Finding::classification, Finding::attributePath, Finding::matchedText)
                    .containsExactly(tuple("source-identifier", "(0025,101B)", "HENDERSON"));
        }
        // protocol words alone pass (the dictionary name detector does not look inside blobs: "Min Full")
        byte[] clean = "TE \"Min Full\"\nSCANTYPE \"EPI\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(verifier.scan(withPrivateBlob(clean), KnownIdentifiers.from(original()), List.of(), PSEUDONYM).passed()).isTrue();
    }

    @Test
    void aBlobTooLongToScanHoldsTheFile() throws Exception {
        byte[] big = new byte[EmbeddedText.MAX_CHARS + 10];
        java.util.Arrays.fill(big, (byte) 'A');
        VerificationReport r = verifier.scan(withPrivateBlob(big), KnownIdentifiers.from(original()), List.of(), PSEUDONYM);
        assertThat(r.passed()).isFalse();
        assertThat(r.findings()).extracting(Finding::ruleId).containsExactly("embedded-text");
    }
}

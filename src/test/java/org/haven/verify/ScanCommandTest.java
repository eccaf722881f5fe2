package org.haven.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import org.haven.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
    @TempDir Path dir;

    private void writeDicom(Path file, String comments) throws Exception {
        AttributeList l = new AttributeList();
        Dicom.put(l, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        Dicom.put(l, TagFromName.SOPInstanceUID, "2.25.1234" + Math.abs(file.hashCode()));
        Dicom.put(l, TagFromName.PatientName, "TESTER^ALPHA");
        Dicom.put(l, TagFromName.PatientID, "PX998877");
        Dicom.put(l, TagFromName.ImageComments, comments);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "HAVEN");
        l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    @Test
    void csvAndJsonReportsWithUnreadableFiles() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        writeDicom(in.resolve("a.dcm"), "ID PX998877, call 07700 900123");
        writeDicom(in.resolve("b.dcm"), "CHEST PA");
        Files.writeString(in.resolve("notes.txt"), "not dicom");
        Path csv = dir.resolve("out/report.csv");
        int code = new ScanCommand().run(List.of(in.toString(), "--out", csv.toString(), "--config", "config/verify"));
        assertThat(code).isEqualTo(ScanCommand.EXIT_FINDINGS);
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).startsWith("file,row,status,classification,rule_id,attribute_path,offset,matched_text");
        assertThat(rows).anyMatch(r -> r.startsWith("a.dcm,finding,failed,source-identifier,source-identifier,ImageComments,3,PX998877"));
        assertThat(rows).anyMatch(r -> r.startsWith("a.dcm,finding,failed,phone,phone,ImageComments,18,07700 900123"));
        assertThat(rows).anyMatch(r -> r.startsWith("a.dcm,summary,failed,source-identifier,"));
        assertThat(rows).anyMatch(r -> r.startsWith("notes.txt,summary,unreadable,"));

        Path json = dir.resolve("report.json");
        new ScanCommand().run(List.of(in.toString(), "--out", json.toString()));
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.get("summary").get("files").asInt()).isEqualTo(3);
        assertThat(doc.get("summary").get("status").get("unreadable").asInt()).isEqualTo(1);
        assertThat(doc.get("files")).anySatisfy(f -> {
            assertThat(f.get("file").asText()).isEqualTo("b.dcm");
            assertThat(f.get("status").asText()).isEqualTo("failed"); // TESTER^ALPHA in PatientName is name-shaped
        });
    }

    @Test
    void cleanFolderExitsZero() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        AttributeList l = new AttributeList();
        Dicom.put(l, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        Dicom.put(l, TagFromName.SOPInstanceUID, "2.25.99");
        Dicom.put(l, TagFromName.SeriesDescription, "MR BRAIN T2 FLAIR AX");
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "HAVEN");
        l.write(in.resolve("c.dcm").toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        assertThat(new ScanCommand().run(List.of(in.toString()))).isZero();
    }

    @Test
    void usageErrors() {
        assertThatThrownBy(() -> new ScanCommand().run(List.of())).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> new ScanCommand().run(List.of(dir.toString(), "--out", "x.txt"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> new ScanCommand().run(List.of(dir.toString(), "--bogus"))).isInstanceOf(UsageException.class);
    }

    @Test
    void csvCellsAreQuotedAndFormulaSafe() {
        assertThat(ScanCommand.csv("a,b", "x\"y")).isEqualTo("\"a,b\",\"x\"\"y\"\n");
        assertThat(ScanCommand.csv("f", "", "", "", "", "", "", "=HYPERLINK(1)", "")).contains(",'=HYPERLINK(1),");
    }
}

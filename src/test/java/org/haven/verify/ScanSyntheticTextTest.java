package org.haven.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan} on another tool's output, without the source header: a header-only de-identifier removed the patient
 * and staff attributes but left the free text as it was. The gate's detectors must flag every file still carrying a
 * planted street address or a name written without a title, on their own (no cross-match with the source).
 */
class ScanSyntheticTextTest {
    /** What a header-only de-identifier removes. */
    static final List<AttributeTag> HEADER = List.of(TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate,
            TagFromName.PatientAddress, TagFromName.PatientTelephoneNumbers, TagFromName.OtherPatientIDs, TagFromName.OtherPatientIDsSequence,
            TagFromName.IssuerOfPatientID, TagFromName.AccessionNumber, TagFromName.ReferringPhysicianName, TagFromName.PerformingPhysicianName,
            TagFromName.OperatorsName, TagFromName.InstitutionName, TagFromName.InstitutionAddress, TagFromName.StationName);
    static final Set<String> STRIPPED = Set.of("PatientName", "PatientID", "PatientBirthDate", "PatientAddress", "PatientTelephoneNumbers",
            "OtherPatientIDs", "AccessionNumber", "ReferringPhysicianName", "PerformingPhysicianName", "OperatorsName", "InstitutionName",
            "InstitutionAddress", "StationName");

    @TempDir
    Path tmp;

    @Test
    void scanFlagsEveryFileWithAPlantedAddressOrUntitledName() throws Exception {
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(20261130L).write(14, archive);
        Path out = tmp.resolve("out");
        for (AnswerKey.FileEntry f : key.files()) {
            AttributeList l = new AttributeList();
            l.read(archive.resolve(f.path()).toString());
            for (AttributeTag t : HEADER) l.remove(t);
            Path target = out.resolve(f.path());
            Files.createDirectories(target.getParent());
            l.write(target.toFile(), f.transferSyntax(), true, true);
        }
        Verifier verifier = Verifier.load(Path.of("config/verify"));
        Map<String, ScanCommand.FileResult> byPath = new HashMap<>();
        for (ScanCommand.FileResult r : ScanCommand.scanAll(verifier, out, null)) byPath.put(out.relativize(r.file()).toString(), r);

        int expected = 0, flagged = 0;
        List<String> missed = new ArrayList<>();
        for (AnswerKey.FileEntry f : key.files()) {
            for (AnswerKey.Planted p : f.planted()) {
                String kind = p.kind();
                if (!kind.equals("address") && !kind.equals("untitled-name")) continue;
                if (STRIPPED.contains(p.path())) continue;
                expected++;
                ScanCommand.FileResult r = byPath.get(f.path());
                String wanted = kind.equals("address") ? "address" : "name";
                boolean found = r != null && r.report() != null && r.report().findings().stream()
                        .anyMatch(x -> x.classification().equals(wanted) && overlaps(x.matchedText(), p.value()));
                if (found) flagged++;
                else missed.add(f.path() + " " + p.path() + " (" + kind + ")");
            }
        }
        System.out.printf("scan without header: %d planted addresses and untitled names in free text, %d flagged%n", expected, flagged);
        assertThat(expected).as("planted addresses and untitled names").isGreaterThan(5);
        assertThat(missed).as("planted in free text but not flagged by the scan").isEmpty();
    }

    /** The finding covers the planted value or a part of it (a street in a longer address span, a name after "seen by"). */
    static boolean overlaps(String matched, String planted) {
        String m = matched.toUpperCase(), p = planted.toUpperCase();
        if (m.contains(p) || p.contains(m)) return true;
        for (String w : p.split("[^A-Z0-9]+")) if (w.length() >= 4 && m.contains(w)) return true;
        return false;
    }
}

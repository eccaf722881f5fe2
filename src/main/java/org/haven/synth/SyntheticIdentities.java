package org.haven.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.haven.dicom.DicomReader;
import org.haven.dicom.DicomWriter;
import org.haven.dicom.UnreadableDicomException;
import org.haven.synth.AnswerKey.FileEntry;
import org.haven.synth.AnswerKey.Planted;

/**
 * Gives synthetic people several identities, as the boards' systems do: after {@link SyntheticArchive} has written
 * the archive, some studies of each person with two or more studies are moved to a second board, under a hospital
 * number of that board, with the CHI in OtherPatientIDsSequence, in OtherPatientIDs, or nowhere in the file (known
 * only to the generated patient index). Writes {@code patient-index.csv} ({@code issuer,local_id,chi}: every
 * hospital number that appears in a file without a CHI) and {@code identities.json} (the answer key: each person's
 * CHI and every identity they appear under). Only plain uncompressed files are rewritten; a study with any other
 * file keeps its first identity. Deterministic for a seed.
 */
final class SyntheticIdentities {
    static final String INDEX_FILE = "patient-index.csv";
    static final String IDENTITIES_FILE = "identities.json";
    private static final Set<String> REWRITABLE = Set.of(SyntheticArchive.EXPLICIT_LE, SyntheticArchive.IMPLICIT_LE);
    private static final List<String> CARRIERS = List.of("other-ids-sequence", "other-ids", "index-only");

    /** One identity a person appears under: board folder, issuer, local id, and where the file carries the CHI. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Identity(String board, String issuer, String localId, String chiIn) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Person(int index, String chi, List<Identity> identities, List<String> files) {}

    private SyntheticIdentities() {}

    /** Rewrites the archive under {@code outDir} and returns the answer key that matches it. */
    static AnswerKey apply(Path outDir, AnswerKey key, long seed) throws IOException {
        Map<Integer, Map<String, List<FileEntry>>> studies = new LinkedHashMap<>();
        for (FileEntry f : key.files()) {
            studies.computeIfAbsent(f.patient().index(), i -> new LinkedHashMap<>())
                .computeIfAbsent(f.studyInstanceUid(), s -> new ArrayList<>()).add(f);
        }
        Map<String, FileEntry> replaced = new LinkedHashMap<>();
        Set<String> indexRows = new LinkedHashSet<>();
        List<Person> people = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, List<FileEntry>>> p : studies.entrySet()) {
            Random r = new Random(SyntheticArchive.mix64(seed ^ (0x5EEDL + p.getKey() * 0x9E3779B97F4A7C15L)));
            List<List<FileEntry>> list = new ArrayList<>(p.getValue().values());
            AnswerKey.PatientFacts facts = list.get(0).get(0).patient();
            SyntheticArchive.Board home = board(list.get(0).get(0).board());
            SyntheticArchive.Board second = SyntheticArchive.BOARDS.get((SyntheticArchive.BOARDS.indexOf(home) + 1 + r.nextInt(4)) % 5);
            String secondNumber = hospitalNumber(second, r);
            String carrier = CARRIERS.get((p.getKey() + r.nextInt(3)) % 3);
            Set<Identity> identities = new LinkedHashSet<>();
            List<String> files = new ArrayList<>();
            for (int s = 0; s < list.size(); s++) {
                List<FileEntry> study = list.get(s);
                boolean move = s > 0 && s % 2 == 1 && study.stream().allMatch(SyntheticIdentities::rewritable);
                for (FileEntry f : study) {
                    FileEntry out = move ? rewrite(outDir, f, second, secondNumber, carrier, facts.chi()) : f;
                    if (move) replaced.put(f.path(), out);
                    files.add(out.path());
                    Identity id = identityOf(out, home, facts);
                    identities.add(id);
                    if (id.chiIn().equals("index-only") && !id.localId().isEmpty()) indexRows.add(id.issuer() + "," + id.localId() + "," + facts.chi());
                }
            }
            people.add(new Person(p.getKey(), facts.chi(), new ArrayList<>(identities), files));
        }
        List<FileEntry> entries = new ArrayList<>();
        for (FileEntry f : key.files()) entries.add(replaced.getOrDefault(f.path(), f));
        StringBuilder csv = new StringBuilder("issuer,local_id,chi\n");
        for (String row : indexRows) csv.append(row).append('\n');
        Files.writeString(outDir.resolve(INDEX_FILE), csv.toString());
        AnswerKey.mapper().writeValue(outDir.resolve(IDENTITIES_FILE).toFile(), people);
        return new AnswerKey(key.generator(), key.formatVersion(), key.seed(), key.patients(), key.studiesPerPatient(), entries);
    }

    static boolean rewritable(FileEntry f) { return f.oddity() == null && REWRITABLE.contains(f.transferSyntax()); }

    /** The identity a file carries, read from its planted identifiers. */
    private static Identity identityOf(FileEntry f, SyntheticArchive.Board home, AnswerKey.PatientFacts facts) {
        String pid = null;
        String issuer = "";
        String chiIn = "index-only";
        for (Planted p : f.planted()) {
            switch (p.path()) {
                case "PatientID" -> pid = p.value();
                case "IssuerOfPatientID" -> issuer = p.value();
                case "OtherPatientIDs" -> { if (p.kind().equals("chi")) chiIn = "other-ids"; }
                case "OtherPatientIDsSequence[0].PatientID" -> { if (p.kind().equals("chi")) chiIn = "other-ids-sequence"; }
                default -> { }
            }
        }
        if (pid != null && pid.replace(" ", "").equals(facts.chi())) chiIn = "patient-id";
        return new Identity(f.board(), issuer.isEmpty() ? home.issuer() : issuer, pid == null ? "" : pid, chiIn);
    }

    private static SyntheticArchive.Board board(String folder) {
        for (SyntheticArchive.Board b : SyntheticArchive.BOARDS) if (b.folder().equals(folder)) return b;
        throw new IllegalArgumentException("unknown board folder " + folder);
    }

    static String hospitalNumber(SyntheticArchive.Board b, Random r) {
        return switch (b.hospitalPrefix()) {
            case "G" -> "G" + Fakes.digits(r, 7) + (char) ('A' + r.nextInt(26));
            case "T" -> "T" + Fakes.digits(r, 6);
            default -> b.hospitalPrefix() + Fakes.digits(r, 7);
        };
    }

    /** Moves a file to {@code board} under {@code number}, with the CHI where {@code carrier} says. */
    private static FileEntry rewrite(Path outDir, FileEntry f, SyntheticArchive.Board board, String number, String carrier, String chi)
        throws IOException {
        Path src = outDir.resolve(f.path());
        AttributeList list;
        try {
            list = DicomReader.readAll(src).attributes();
        } catch (UnreadableDicomException e) {
            throw new IOException("synthetic file does not re-read: " + f.path(), e);
        }
        List<Planted> planted = new ArrayList<>();
        for (Planted p : f.planted()) {
            if (!Set.of("PatientID", "IssuerOfPatientID", "OtherPatientIDs", "OtherPatientIDsSequence[0].PatientID").contains(p.path())) planted.add(p);
        }
        try {
            put(list, TagFromName.PatientID, number);
            put(list, TagFromName.IssuerOfPatientID, board.issuer());
            list.remove(TagFromName.OtherPatientIDs);
            list.remove(TagFromName.OtherPatientIDsSequence);
            planted.add(new Planted("PatientID", "hospital-number", number));
            planted.add(new Planted("IssuerOfPatientID", "issuer", board.issuer()));
            if (carrier.equals("other-ids")) {
                put(list, TagFromName.OtherPatientIDs, chi);
                planted.add(new Planted("OtherPatientIDs", "chi", chi));
            } else if (carrier.equals("other-ids-sequence")) {
                AttributeList item = new AttributeList();
                put(item, TagFromName.PatientID, chi);
                put(item, TagFromName.IssuerOfPatientID, "CHI");
                com.pixelmed.dicom.CodeStringAttribute type = new com.pixelmed.dicom.CodeStringAttribute(TagFromName.TypeOfPatientID);
                type.addValue("TEXT");
                item.put(type);
                SequenceAttribute seq = new SequenceAttribute(TagFromName.OtherPatientIDsSequence);
                seq.addItem(item);
                list.put(seq);
                planted.add(new Planted("OtherPatientIDsSequence[0].PatientID", "chi", chi));
            }
        } catch (DicomException e) {
            throw new IOException("cannot set identity of " + f.path(), e);
        }
        String rel = board.folder() + f.path().substring(f.path().indexOf('/'));
        Path target = outDir.resolve(rel);
        Files.createDirectories(target.getParent());
        DicomWriter.writeAll(list, f.transferSyntax(), target);
        Files.delete(src);
        return new FileEntry(rel, f.modality(), f.manufacturer(), f.model(), f.transferSyntax(), f.sopClassUid(), f.sopInstanceUid(),
            f.studyInstanceUid(), f.seriesInstanceUid(), f.studyDate(), f.frames(), f.rows(), f.columns(), f.photometricInterpretation(),
            board.folder(), f.patient(), planted, f.freeText(), f.burnedIn(), f.burnedInAnnotation(), f.clean(), f.oddity());
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        LongStringAttribute a = new LongStringAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}

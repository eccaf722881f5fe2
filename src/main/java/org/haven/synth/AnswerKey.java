package org.haven.synth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link SyntheticArchive} planted where: {@code OUT/answer-key.json}. Load it with {@link #read(Path)}.
 *
 * <p>Paths of planted values ({@link Planted#path()}) use {@link DicomPath} syntax: a keyword
 * ({@code ImageComments}), a tag ({@code (0009,1010)}) or items of sequences
 * ({@code RequestAttributesSequence[0].RequestedProcedureDescription}); the special path {@code @path} means the
 * file's relative path in the archive (folder names can carry a surname or a CHI). A planted {@code value} occurs
 * verbatim in the attribute's value as read back (several values joined with a backslash).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AnswerKey(String generator, int formatVersion, long seed, int patients, Integer studiesPerPatient,
                        List<FileEntry> files) {

    /** Special {@link Planted#path()}: the value is part of the file's relative path. */
    public static final String FILE_PATH = "@path";

    public static final String FILE_NAME = "answer-key.json";

    /** One DICOM file. {@code path} is relative to the archive root, with forward slashes. */
    public record FileEntry(String path, String modality, String manufacturer, String model, String transferSyntax,
                            String sopClassUid, String sopInstanceUid, String studyInstanceUid,
                            String seriesInstanceUid, String studyDate, int frames, int rows, int columns,
                            String photometricInterpretation, String board, PatientFacts patient,
                            List<Planted> planted, List<FreeText> freeText, List<BurnedIn> burnedIn,
                            String burnedInAnnotation, boolean clean, String oddity) {}

    /** The synthetic person behind a file. Dates ISO yyyy-MM-dd; {@code chiCheck} is "mod11" or "luhn". */
    public record PatientFacts(int index, String givenName, String familyName, String sex, String birthDate,
                               String chi, String chiCheck, String postcode, String phone, String address,
                               String hospitalNumber) {}

    /**
     * An identifier planted in the header. {@code kind}: name, staff-name, chi, hospital-number, issuer,
     * accession, birth-date, study-date, date, postcode, phone, address, institution, station.
     */
    public record Planted(String path, String kind, String value) {}

    /** A free-text attribute and whether it carries an identifier (for false-positive rates). */
    public record FreeText(String path, String text, boolean identifying) {}

    /**
     * Text burned into the pixels: {@code frame} is a 0-based frame index; the box (x, y from the top-left, in
     * pixels) holds all of the text's pixels. {@code kind}: name, chi, hospital-number, date, institution.
     */
    public record BurnedIn(int frame, int x, int y, int width, int height, String text, String kind) {}

    static ObjectMapper mapper() {
        return new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Reads an answer key: either the JSON file itself or the archive folder holding {@code answer-key.json}. */
    public static AnswerKey read(Path fileOrArchive) throws IOException {
        Path file = Files.isDirectory(fileOrArchive) ? fileOrArchive.resolve(FILE_NAME) : fileOrArchive;
        return mapper().readValue(file.toFile(), AnswerKey.class);
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, mapper().writeValueAsString(this) + "\n");
    }
}

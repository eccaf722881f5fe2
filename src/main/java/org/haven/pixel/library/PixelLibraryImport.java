package org.haven.pixel.library;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.haven.pixel.PixelRules;

/**
 * Turns a published burned-in region library (RSNA CTP's DicomPixelAnonymizer.script, or a pydicom/deid recipe) into
 * a Haven pixel rule file, one rule per signature with its source, plus a report of what could not be translated and
 * why (nothing is dropped silently). The written rules are validated by {@link PixelRules#load} before they are
 * returned.
 */
public final class PixelLibraryImport {

    public enum Format { CTP, DEID }

    /** The rule file's text and the report lines (one per skipped signature or translation note). */
    public record Result(String yaml, int signatures, int rules, List<String> report) {}

    private PixelLibraryImport() {}

    public static Format format(String name) {
        try {
            return Format.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + name + "' (ctp or deid)");
        }
    }

    /**
     * @param atRiskOnly add {@code at-risk: true} to every rule, so it applies only to images the header risk screen
     *                   marks at risk (null: the format's default: deid recipes yes, since their labels are broad and
     *                   deid applies them together; CTP no, its signatures are specific and first-match like Haven's)
     */
    public static Result run(Path library, Format format, String libraryName, String idPrefix, Boolean atRiskOnly) throws IOException {
        boolean scoped = atRiskOnly != null ? atRiskOnly : format == Format.DEID;
        String text = Files.readString(library, StandardCharsets.UTF_8);
        List<LibraryEntry> entries = format == Format.CTP ? CtpScript.parse(text) : DeidRecipe.parse(text);
        String fileName = library.getFileName().toString();
        String name = libraryName != null ? libraryName : (format == Format.CTP ? "RSNA CTP DicomPixelAnonymizer" : "pydicom/deid recipe");
        String prefix = idPrefix != null ? idPrefix : defaultPrefix(format, fileName);
        List<String> header = List.of(
                "Pixel rules imported from " + name + " (" + fileName + ") by:",
                "  ./run.sh pixels import " + fileName + " --format " + format.name().toLowerCase(Locale.ROOT)
                        + " --library \"" + name + "\" --id-prefix " + prefix
                        + " --scope " + (scoped ? "at-risk" : "all"),
                "Do not edit by hand: re-import. Local rules go in a file that sorts before this one (first match wins).",
                "Each rule names its source signature; risk: high because the library lists images known to carry",
                "burned-in text, so OCR checks every image a rule has blanked.");
        String yaml = RuleWriter.write(entries, prefix, name, fileName, header, scoped);
        int rules = validate(yaml);
        List<String> report = new ArrayList<>();
        for (LibraryEntry e : entries) {
            String where = fileName + ":" + e.line() + (e.label().isBlank() ? "" : " \"" + e.label() + "\"");
            if (e.skipped() != null) report.add("skipped " + where + ": " + e.skipped());
            for (String n : e.notes()) report.add("note    " + where + ": " + n);
        }
        // entries dropped by the writer (rectangles outside the image) are reported in the file's closing comments
        int skippedByWriter = (int) entries.stream().filter(e -> e.skipped() == null).count() - rules;
        if (skippedByWriter > 0) report.add("skipped " + skippedByWriter + " signature(s) whose rectangles lie outside their image (see the file's end)");
        return new Result(yaml, entries.size(), rules, report);
    }

    static String defaultPrefix(Format format, String fileName) {
        if (format == Format.CTP) return "ctp";
        String rest = fileName.replaceFirst("^deid\\.dicom\\.?", "").replaceAll("[^A-Za-z0-9]+", "-");
        return rest.isEmpty() ? "deid" : "deid-" + rest.toLowerCase(Locale.ROOT);
    }

    /** Loads the rules as Haven would; returns how many there are. */
    private static int validate(String yaml) throws IOException {
        Path dir = Files.createTempDirectory("haven-pixel-import");
        Path f = dir.resolve("imported.yaml");
        try {
            Files.writeString(f, yaml, StandardCharsets.UTF_8);
            return PixelRules.load(dir).rules().size();
        } finally {
            Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        }
    }
}

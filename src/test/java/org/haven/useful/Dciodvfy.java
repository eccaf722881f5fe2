package org.haven.useful;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * David Clunie's IOD checker ({@code dciodvfy}, Debian dicom3tools). Its report is reduced to sets of normalised
 * messages: the offending values (UIDs, names, dates, the bad character, lengths, counts of values) are removed so that
 * the same problem in an input and in its de-identified output compares equal, while the attribute, module and kind of
 * problem are kept.
 */
final class Dciodvfy {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * {@code exitCode}: dciodvfy exits 0 or 1 when it read the whole file (1 usually, not always, when it found
     * errors); 1 with no error message means it could not read the file; anything else is a crash (134: an assertion
     * aborted it). Only a report that {@link #ran()} says anything about the file.
     */
    record Report(Set<String> errors, Set<String> warnings, String raw, int exitCode) {
        boolean ran() { return exitCode == 0 || (exitCode == 1 && !errors.isEmpty()); }
    }

    private static final Pattern VALUE_INDEX = Pattern.compile("\\s*\\[\\d+\\] = <.*?> - ");
    private static final Pattern QUOTED_CHAR = Pattern.compile(" = '.*?' \\(0(x[0-9a-fA-F]+)?\\)");
    private static final Pattern ASSIGNED_VALUE = Pattern.compile(" = <[^>]*>");
    private static final Pattern UID_VALUE = Pattern.compile("<[0-9][0-9.]*>");
    private static final Pattern VALUES_ARE = Pattern.compile(" - values are .*$");
    private static final Pattern NUMBERS_AFTER_EQUALS = Pattern.compile("= \\d+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Dciodvfy() {}

    static Report check(Path file) throws IOException, InterruptedException {
        ExternalTool.Result r = ExternalTool.run(TIMEOUT, "dciodvfy", file.toString());
        return parse(r.output(), r.exitCode());
    }

    static Report parse(String output) { return parse(output, 0); }

    static Report parse(String output, int exitCode) {
        Set<String> errors = new TreeSet<>();
        Set<String> warnings = new TreeSet<>();
        for (String line : output.split("\n")) {
            if (line.contains("Error - ")) errors.add(normalise(line));
            else if (line.contains("Warning - ")) warnings.add(normalise(line));
        }
        return new Report(errors, warnings, output, exitCode);
    }

    private static final Pattern ELEMENT_NAME = Pattern.compile("(?:Element=<|attribute <)([^>]+)>");
    private static final Pattern TAG_AND_NAME = Pattern.compile("\\(0x[0-9a-fA-F]{4},0x[0-9a-fA-F]{4}\\) [A-Z?]{1,2} (.+?) [A-Z]{2}(?: -|$)");

    /**
     * The attribute a message is about, as a comparable key (dictionary keyword and descriptive name both reduce to
     * lower-case letters and digits: "FrameAcquisitionDateTime" and "Frame Acquisition DateTime" are the same), or
     * null when the message names none.
     */
    static String attribute(String message) {
        java.util.regex.Matcher m = ELEMENT_NAME.matcher(message);
        String name = m.find() ? m.group(1) : null;
        if (name == null) {
            m = TAG_AND_NAME.matcher(message);
            if (m.find()) name = m.group(1);
        }
        return name == null ? null : name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** Messages saying an input value is not valid for its VR (the value was already broken before Haven saw it). */
    static boolean isInvalidValue(String message) {
        return message.contains("Value invalid for this VR");
    }

    /** One message without the values that de-identification legitimately changes. */
    static String normalise(String line) {
        String s = line.strip();
        s = VALUE_INDEX.matcher(s).replaceAll(" - ");
        s = QUOTED_CHAR.matcher(s).replaceAll("");
        s = ASSIGNED_VALUE.matcher(s).replaceAll("");
        s = UID_VALUE.matcher(s).replaceAll("<uid>");
        s = VALUES_ARE.matcher(s).replaceAll("");
        s = NUMBERS_AFTER_EQUALS.matcher(s).replaceAll("= n");
        return SPACES.matcher(s).replaceAll(" ");
    }
}

package org.haven.pixel.library;

import java.util.List;

/**
 * One signature read from a published library, translated or not.
 *
 * @param line      1-based line where the signature starts in the library file
 * @param label     the library's own name for it (CTP: the heading lines above it; deid: the LABEL)
 * @param original  the condition text exactly as the library writes it (one line)
 * @param condition the translated condition, or null when it could not be translated
 * @param boxes     rectangles as x, y, width, height (already converted from the library's convention)
 * @param keepUltrasoundRegions the library keeps only the ultrasound regions (deid keepcoordinates)
 * @param skipped   why the entry is not turned into a rule (null when it is)
 * @param notes     translation remarks worth a reviewer's attention (case-sensitive test made case-insensitive, a box clipped)
 */
record LibraryEntry(int line, String label, String original, Condition condition, List<int[]> boxes,
                    boolean keepUltrasoundRegions, String skipped, List<String> notes) {

    LibraryEntry {
        boxes = List.copyOf(boxes);
        notes = List.copyOf(notes);
    }

    static LibraryEntry skipped(int line, String label, String original, String why) {
        return new LibraryEntry(line, label, original, null, List.of(), false, why, List.of());
    }
}

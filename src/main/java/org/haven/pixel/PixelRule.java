package org.haven.pixel;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.AttributeList;

/**
 * One device signature from {@code config/pixels/*.yaml}: conditions on header attributes, and what to blank when they
 * all hold. Built and validated by {@link PixelRules#load(Path)}; immutable.
 *
 * @param id            unique rule id (goes into audit records and findings)
 * @param file          file the rule came from
 * @param line          1-based line of the rule in that file
 * @param conditions    all must hold for the rule to match
 * @param blank         rectangles to blank (pixel coordinates), each on all frames or on the listed frames
 * @param keepUltrasoundRegions blank everything outside SequenceOfUltrasoundRegions ({@code keep: ultrasound-regions})
 * @param allowText     regions where OCR text is expected and acceptable after blanking (e.g. scale labels)
 * @param allowTextInUltrasoundRegions OCR text inside the ultrasound regions is acceptable
 * @param highRisk      {@code risk: high}: treat every matching image as at risk (OCR always runs)
 */
public record PixelRule(String id, Path file, int line, List<Condition> conditions, List<Region> blank,
                        boolean keepUltrasoundRegions, List<Box> allowText, boolean allowTextInUltrasoundRegions,
                        boolean highRisk) {

    public PixelRule {
        conditions = List.copyOf(conditions);
        blank = List.copyOf(blank);
        allowText = List.copyOf(allowText);
    }

    /** True when every condition holds for this header. */
    public boolean matches(AttributeList header) {
        for (Condition c : conditions) {
            if (!c.test(header)) return false;
        }
        return true;
    }

    /** "file:line" for messages and audit records. */
    public String where() { return file + ":" + line; }

    @Override
    public String toString() { return "PixelRule[" + id + " at " + where() + "]"; }

    /** A rectangle to blank; {@code frames} holds 1-based frame numbers, empty for every frame. */
    public record Region(Box box, Set<Integer> frames) {
        public Region {
            frames = Set.copyOf(frames);
        }

        /** @param frameIndex 0-based */
        public boolean appliesTo(int frameIndex) { return frames.isEmpty() || frames.contains(frameIndex + 1); }
    }

    /** One test on the header; {@link #describe()} is for error messages and audit (keywords and patterns only). */
    public interface Condition {
        boolean test(AttributeList header);

        String describe();
    }
}

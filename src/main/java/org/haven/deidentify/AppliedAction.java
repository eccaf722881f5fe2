package org.haven.deidentify;

/**
 * What one rule did to one attribute.
 *
 * @param path       location, e.g. {@code ReferencedImageSequence[0]/ReferencedSOPInstanceUID}
 * @param tag        {@code (gggg,eeee)}
 * @param keyword    dictionary keyword, or the tag for private/unknown attributes
 * @param action     the action applied (resolved: {@code dummy}, {@code empty}, {@code remove}, {@code keep}, {@code uid},
 *                   {@code pseudonym}, {@code shift-date}, {@code hash}, {@code replace}, {@code clean-text}, {@code clean})
 * @param rule       the rule as written in the profile (e.g. {@code X/Z/D})
 * @param ruleSource {@code file:line} of the rule, or {@code (default: ...)} for built-in defaults
 * @param before     the original value, only when the context asked to explain; otherwise null. Never log it.
 * @param after      the resulting value (null when removed)
 * @param changed    whether the value changed
 */
public record AppliedAction(String path, String tag, String keyword, String action, String rule, String ruleSource,
                            String before, String after, boolean changed) {
    public int depth() {
        int d = 0;
        for (int i = 0; i < path.length(); i++) if (path.charAt(i) == '/') d++;
        return d;
    }
}

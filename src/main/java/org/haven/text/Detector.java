package org.haven.text;

import java.util.List;
import java.util.function.Predicate;

/** Finds suspicious spans in one field's text. Built-in detectors are named in rule files by {@link #name()}. */
public interface Detector {

    /** A suspicious span [start, end) of the text. */
    record Span(int start, int end, String label) {
        public Span(int start, int end) { this(start, end, null); }
    }

    /**
     * What a detector may consult besides the text: the source's identifiers, and whether a word is allowlisted
     * for the rule being applied in this field.
     */
    record Context(Field field, KnownIdentifiers known, Predicate<String> wordAllowed) {}

    String name();

    /** Classification of findings when the rule names none. */
    String classification();

    /** Adds spans found in {@code text} (same length as the field's text, allowed values masked). */
    void detect(String text, Context ctx, List<Span> out);
}

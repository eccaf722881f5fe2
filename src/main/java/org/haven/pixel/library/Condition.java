package org.haven.pixel.library;

import java.util.List;

/**
 * A library signature's condition as a tree, before it is written as a Haven {@code when:} map. Attributes are DICOM
 * keywords, or tags written {@code (gggg,eeee)} when the dictionary has no keyword (private elements).
 */
sealed interface Condition {

    /** One test: {@code op} is a Haven value test (equals, regex, includes, starts-with, ends-with, search, present). */
    record Test(String attribute, String op, String value) implements Condition {}

    record And(List<Condition> parts) implements Condition {
        public And { parts = List.copyOf(parts); }
    }

    record Or(List<Condition> parts) implements Condition {
        public Or { parts = List.copyOf(parts); }
    }

    record Not(Condition inner) implements Condition {}

    static Condition and(List<Condition> parts) { return parts.size() == 1 ? parts.get(0) : new And(flatten(parts, And.class)); }

    static Condition or(List<Condition> parts) { return parts.size() == 1 ? parts.get(0) : new Or(flatten(parts, Or.class)); }

    /** (a and b) and c → a and b and c: the YAML reads flatter. */
    private static List<Condition> flatten(List<Condition> parts, Class<?> kind) {
        List<Condition> out = new java.util.ArrayList<>();
        for (Condition c : parts) {
            if (kind.isInstance(c)) out.addAll(c instanceof And a ? a.parts() : ((Or) c).parts());
            else out.add(c);
        }
        return out;
    }
}

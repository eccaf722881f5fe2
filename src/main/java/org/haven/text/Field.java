package org.haven.text;

import java.util.List;

/**
 * One scanned text value: its path (elements from the top-level attribute down), VR and text.
 * OCR text is a field with the single element {@code OCR} and the pseudo-VR {@code OCR}.
 */
public record Field(List<Element> elements, String path, String vr, String text) {

    /** One step of a path: tag group/element (-1 for OCR), keyword (or "(gggg,eeee)" when unknown/private), private flag. */
    public record Element(int group, int element, String name, boolean isPrivate) {
        // written out: the generated ones (method-handle based) showed in the gate's profile, these are cache keys
        @Override public int hashCode() { return (group * 31 + element) * 31 + (name == null ? 0 : name.hashCode()) + (isPrivate ? 1 : 0); }

        @Override public boolean equals(Object o) {
            return o == this || o instanceof Element e && group == e.group && element == e.element && isPrivate == e.isPrivate
                && java.util.Objects.equals(name, e.name);
        }
    }

    public String keyword() { return elements.get(elements.size() - 1).name(); }
}

package org.haven.deidentify;

/**
 * Per-file inputs of de-identification that do not come from the profile.
 *
 * @param project       project (research study) the release is for; part of every keyed derivation
 * @param pseudonym     the project's pseudonym for this patient (from the store); used by the {@code pseudonym} action
 * @param dateShiftDays offset for {@code shift-date}, normally {@link DateShift#offsetDays}
 * @param uids          keyed UID remapper (one per project; also provides the keyed {@code hash})
 * @param explain       when true the result records original values too (for the explain command only; never log them)
 */
public record DeidContext(String project, String pseudonym, int dateShiftDays, UidRemapper uids, boolean explain) {
    public DeidContext {
        if (uids == null) throw new IllegalArgumentException("uids (UidRemapper) is required");
    }
}

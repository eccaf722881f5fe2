package org.haven.deidentify;

import java.util.List;

import org.haven.text.KnownIdentifiers;

/**
 * Outcome of {@link Deidentifier#apply}: the profile used and every action, in dataset order (for explain and audit),
 * and the source's identifiers as gathered before anything was modified (what the gate cross-matches).
 */
public record DeidResult(String profile, List<AppliedAction> actions, KnownIdentifiers sourceIdentifiers) {
    public DeidResult {
        actions = List.copyOf(actions);
        if (sourceIdentifiers == null) sourceIdentifiers = KnownIdentifiers.none();
    }

    public DeidResult(String profile, List<AppliedAction> actions) { this(profile, actions, KnownIdentifiers.none()); }

    public long changedCount() { return actions.stream().filter(AppliedAction::changed).count(); }
}

package org.haven.deidentify;

import java.util.List;

/** Outcome of {@link Deidentifier#apply}: the profile used and every action, in dataset order (for explain and audit). */
public record DeidResult(String profile, List<AppliedAction> actions) {
    public DeidResult {
        actions = List.copyOf(actions);
    }

    public long changedCount() { return actions.stream().filter(AppliedAction::changed).count(); }
}

package org.haven.deidentify;

/**
 * One resolved profile rule.
 *
 * @param selector as written: keyword, {@code (gggg,eeee)} or a wildcard such as {@code (60xx,3000)}
 * @param code     the action as written (e.g. {@code X/Z/D} or {@code shift-date})
 * @param action   resolved action
 * @param value    replacement value for {@link Action#REPLACE}, else null
 * @param source   {@code file:line}
 */
public record Rule(String selector, String code, Action action, String value, String source) {
    static Rule builtin(Action action, String why) {
        return new Rule("*", action.word(), action, null, "(default: " + why + ")");
    }
}

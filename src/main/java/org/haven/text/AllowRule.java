package org.haven.text;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An allowlist entry: findings of the listed rules (by id or classification; all rules when none listed) within the
 * scope are dropped when their matched text equals one of {@code values} or fully matches {@code regex}; with
 * neither, every finding in the scope is dropped. The name detector also never takes an allowed word for a name.
 */
record AllowRule(String id, Set<String> rules, Scope scope, Set<String> values, Pattern regex, boolean caseSensitive) {

    boolean appliesTo(Rule rule, Field field) {
        return (rules.isEmpty() || rules.contains(rule.id()) || rules.contains(rule.classification())) && scope.matches(field);
    }

    /** Whether this entry (already known to apply) allows the text. */
    boolean allowsText(String text) {
        if (values.isEmpty() && regex == null) return true;
        String t = text.trim();
        if (values.contains(caseSensitive ? t : t.toLowerCase(Locale.ROOT))) return true;
        return regex != null && regex.matcher(t).matches();
    }

    /** For the name detector: words are allowed only by explicit values or regex, not by a scope-only entry. */
    boolean allowsWord(String word) {
        if (values.isEmpty() && regex == null) return false;
        return allowsText(word);
    }
}

package org.haven.deidentify;

import java.util.Locale;
import java.util.Map;

/**
 * The actions a profile can name. The PS3.15 Annex E codes are accepted as written in the standard, and the combined
 * codes are resolved here once, by one documented rule (Haven does not know the IOD of every file it sees, so it
 * keeps an attribute that is present <em>present</em>, with the least informative value that stays valid):
 * <ul>
 *   <li>{@code Z/D}, {@code X/D}, {@code X/Z/D} → {@link #DUMMY} (a dummy value is valid whether the attribute is
 *       Type 1, 2 or 3; for a sequence: keep its items and apply the profile inside them);</li>
 *   <li>{@code X/Z} → {@link #EMPTY} (zero length is valid for Type 2 and 3; for a sequence: zero items);</li>
 *   <li>{@code X/Z/U*} → {@link #UID} (UIDs remapped; for a sequence: kept, its items processed, so contained
 *       instance UIDs are remapped).</li>
 * </ul>
 * Haven's own actions: {@code pseudonym}, {@code shift-date}, {@code hash}, {@code replace} (with a value),
 * {@code clean-text}.
 */
public enum Action {
    DUMMY("dummy"), EMPTY("empty"), REMOVE("remove"), KEEP("keep"), CLEAN("clean"), UID("uid"),
    PSEUDONYM("pseudonym"), SHIFT_DATE("shift-date"), HASH("hash"), REPLACE("replace"), CLEAN_TEXT("clean-text");

    private final String word;

    Action(String word) { this.word = word; }

    public String word() { return word; }

    private static final Map<String, Action> CODES = Map.ofEntries(
            Map.entry("D", DUMMY), Map.entry("Z", EMPTY), Map.entry("X", REMOVE), Map.entry("K", KEEP),
            Map.entry("C", CLEAN), Map.entry("U", UID),
            Map.entry("Z/D", DUMMY), Map.entry("X/D", DUMMY), Map.entry("X/Z/D", DUMMY),
            Map.entry("X/Z", EMPTY), Map.entry("X/Z/U*", UID), Map.entry("X/Z/U", UID));

    /** The action for a standard code or a Haven word (case-insensitive), or null if unknown. */
    public static Action parse(String text) {
        String t = text.trim();
        Action a = CODES.get(t.toUpperCase(Locale.ROOT));
        if (a != null) return a;
        for (Action x : values()) if (x.word.equalsIgnoreCase(t)) return x;
        return null;
    }

    public static String known() {
        return "D, Z, X, K, C, U, Z/D, X/Z, X/D, X/Z/D, X/Z/U*, dummy, empty, remove, keep, clean, uid, pseudonym, "
                + "shift-date, hash, clean-text, {replace: VALUE}";
    }
}

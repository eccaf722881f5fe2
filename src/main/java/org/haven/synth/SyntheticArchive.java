package org.haven.synth;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.haven.synth.AnswerKey.BurnedIn;
import org.haven.synth.AnswerKey.FileEntry;
import org.haven.synth.AnswerKey.FreeText;
import org.haven.synth.AnswerKey.PatientFacts;
import org.haven.synth.AnswerKey.Planted;
import org.haven.synth.Fakes.PostcodeArea;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a synthetic, realistically messy DICOM archive with an {@link AnswerKey} of every identifier planted.
 *
 * <pre>{@code
 * AnswerKey key = new SyntheticArchive(42).write(5, outDir);     // OUT/<board>/<patient>/<series>/IMG0001.dcm
 * AnswerKey same = AnswerKey.read(outDir);                        // OUT/answer-key.json
 * }</pre>
 *
 * Deterministic: the same seed (and options) gives byte-identical files and key. Patient {@code i} depends only on
 * the seed and {@code i}, so a larger archive extends a smaller one. UIDs are {@code 2.25.<n>} with {@code n}
 * derived from the seed, never from the clock.
 */
public final class SyntheticArchive {

    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    public static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

    static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";
    static final String CR_IMAGE = "1.2.840.10008.5.1.4.1.1.1";
    static final String DX_IMAGE = "1.2.840.10008.5.1.4.1.1.1.1";
    static final String US_IMAGE = "1.2.840.10008.5.1.4.1.1.6.1";
    static final String US_MULTIFRAME = "1.2.840.10008.5.1.4.1.1.3.1";
    static final String SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7";
    static final String BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11";

    /** Private creator of Haven's own private block, group 0009, block 0x10. */
    public static final String HAVEN_PRIVATE_CREATOR = "HAVEN SYNTH 1.0";

    private final long seed;
    private Integer studiesPerPatient;

    public SyntheticArchive(long seed) { this.seed = seed; }

    private boolean identities;

    /** People also appear under a second board's hospital number ({@link SyntheticIdentities}, patient-index.csv). */
    public SyntheticArchive withIdentities() {
        this.identities = true;
        return this;
    }

    /** Fixed number of studies per patient (default: 1 to 4, varying). */
    public SyntheticArchive studiesPerPatient(int k) {
        if (k < 1) throw new IllegalArgumentException("studies per patient must be >= 1");
        this.studiesPerPatient = k;
        return this;
    }

    // ------------------------------------------------------------------------------------------------ reference data

    record Institution(String name, String code) {}

    record Board(String folder, String issuer, List<Institution> institutions, List<String> areas, String dialCode,
                 String hospitalPrefix) {}

    static final List<Board> BOARDS = List.of(
            new Board("lothian", "NHS LOTHIAN", List.of(new Institution("Royal Infirmary of Edinburgh", "RIE"),
                    new Institution("Western General Hospital", "WGH"), new Institution("St John's Hospital", "SJH")),
                    List.of("EH", "EH", "EH", "EH", "FK", "KY", "TD"), "0131", "LH"),
            new Board("glasgow", "NHSGGC", List.of(new Institution("Queen Elizabeth University Hospital", "QEUH"),
                    new Institution("Glasgow Royal Infirmary", "GRI"), new Institution("Royal Alexandra Hospital", "RAH")),
                    List.of("G", "G", "G", "PA", "PA", "ML", "KA"), "0141", "G"),
            new Board("tayside", "NHS TAYSIDE", List.of(new Institution("Ninewells Hospital", "NW"),
                    new Institution("Perth Royal Infirmary", "PRI")),
                    List.of("DD", "DD", "DD", "PH", "PH", "KY"), "01382", "T"),
            new Board("grampian", "NHS GRAMPIAN", List.of(new Institution("Aberdeen Royal Infirmary", "ARI"),
                    new Institution("Dr Gray's Hospital", "DGH")),
                    List.of("AB", "AB", "AB", "IV"), "01224", "A"),
            new Board("highland", "NHS HIGHLAND", List.of(new Institution("Raigmore Hospital", "RAIG"),
                    new Institution("Belford Hospital", "BELF")),
                    List.of("IV", "IV", "KW", "HS", "ZE", "PH"), "01463", "H"));

    record Device(String modality, List<String> manufacturers, String model, String software, String vendorFamily) {}

    static final List<Device> CT_DEVICES = List.of(
            new Device("CT", List.of("SIEMENS", "Siemens Healthineers", "SIEMENS "), "SOMATOM Definition AS+", "syngo CT VA48A", "siemens"),
            new Device("CT", List.of("SIEMENS", "Siemens Healthineers"), "SOMATOM Force", "syngo CT VB20A", "siemens"),
            new Device("CT", List.of("GE MEDICAL SYSTEMS", "GE Healthcare"), "Revolution CT", "revo_ct_22BC.50", "ge"),
            new Device("CT", List.of("TOSHIBA", "Canon Medical Systems"), "Aquilion ONE", "V8.9SP0001", "other"));
    static final List<Device> MR_DEVICES = List.of(
            new Device("MR", List.of("GE MEDICAL SYSTEMS", "GE Healthcare"), "SIGNA Artist", "29\\LX\\MR Software release:RX29.1", "ge"),
            new Device("MR", List.of("Philips Medical Systems", "Philips", "Philips Healthcare"), "Ingenia", "5.6.1\\5.6.1.2", "other"),
            new Device("MR", List.of("SIEMENS"), "MAGNETOM Prisma", "syngo MR XA30", "siemens"));
    static final List<Device> XR_DEVICES = List.of(
            new Device("DX", List.of("Carestream Health", "CARESTREAM HEALTH"), "DRX-Evolution", "5.7.412", "other"),
            new Device("CR", List.of("AGFA", "Agfa"), "CR 85-X", "NX 3.0.9200", "other"),
            new Device("DX", List.of("AGFA"), "DX-D 400", "NX 23.0", "other"));
    static final List<Device> US_DEVICES = List.of(
            new Device("US", List.of("TOSHIBA_MEC_US"), "TUS-AI800", "V4.0", "other"),
            new Device("US", List.of("Canon Medical Systems", "CANON_MEC"), "Aplio i800", "V6.0", "other"),
            new Device("US", List.of("SonoSite, Inc.", "SonoSite"), "SonoSite Edge II", "1.2.3", "other"));
    static final List<Device> SC_DEVICES = List.of(
            new Device("OT", List.of("Philips", "PHILIPS"), "IntelliSpace PACS", "4.4.551", "other"),
            new Device("OT", List.of("AGFA", "Agfa HealthCare"), "IMPAX 6", "6.6.1", "other"),
            new Device("OT", List.of(""), "", "", "other"));
    static final List<Device> ODD_DEVICES = List.of(
            new Device("OT", List.of("ACME Imaging Ltd"), "Prototype X1", "0.0.1-beta", "other"),
            new Device("XC", List.of("Olympus"), "TG-6 camera", "1.0", "other"),
            new Device("ES", List.of("Haven Test Rig"), "ENDO-SIM", "dev", "other"));

    static final List<String> CT_STUDIES = List.of("CT HEAD W/O CONTRAST", "CT HEAD", "CT CHEST ABDOMEN PELVIS WITH CONTRAST",
            "CT PULMONARY ANGIOGRAM", "CT KUB", "CTCAP", "CT C-SPINE", "CT ABDOMEN PORTAL VENOUS", "CT COLONOGRAPHY");
    static final List<String> CT_SERIES = List.of("Axial 5mm", "Head 0.75 H31s", "Thorax 1.0 Br40", "AX 3mm SOFT TISSUE",
            "COR MPR", "Abdomen 3.0 Br36", "ST 1.25mm", "BONE 0.625");
    static final List<String> MR_STUDIES = List.of("MR BRAIN", "MRI LUMBAR SPINE", "MR KNEE RIGHT", "MR PROSTATE MULTIPARAMETRIC",
            "MRI HEAD WITH CONTRAST", "MR LIVER", "MR CERVICAL SPINE");
    static final List<String> MR_SERIES = List.of("MR BRAIN T2 FLAIR AX", "T1 SAG", "DWI b1000", "ADC", "t2_tse_tra",
            "Ax T2 FLAIR", "3-pl localizer", "T1 MPRAGE SAG 1mm", "SWI");
    static final List<String> MR_PROTOCOLS = List.of("BRAIN_ROUTINE", "L-SPINE", "t2_tse_tra_p2", "Ax T2 FLAIR",
            "KNEE_3T", "PROSTATE_MP", "head_wo");
    static final List<String> XR_STUDIES = List.of("CHEST PA", "XR CHEST", "XR LEFT WRIST 2 VIEWS", "XR PELVIS AP",
            "KNEE AP/LAT", "XR RIGHT ANKLE", "XR LUMBAR SPINE", "XR ABDOMEN");
    static final List<String> XR_SERIES = List.of("PA", "LAT", "AP", "AP ERECT", "OBLIQUE", "Chest PA");
    static final List<String> US_STUDIES = List.of("US ABDOMEN", "US PELVIS TRANSVAGINAL", "US NECK THYROID",
            "US RENAL TRACT", "US OBSTETRIC 20 WEEK ANOMALY", "US DVT LEFT LEG", "US LIVER");
    static final List<String> US_SERIES = List.of("Abdomen", "Liver", "Kidney L", "Thyroid", "Pelvis", "Vascular");
    static final List<String> SC_STUDIES = List.of("Secondary capture", "Dose report", "Screen capture",
            "Scanned request form", "PACS screenshot");
    static final List<String> SC_SERIES = List.of("Screenshots", "Report page 1", "Dose Report", "Key images");
    static final List<String> HISTORY = List.of("? PE", "SOB, raised D-dimer", "fall, ? fracture", "headache, ? SAH",
            "known Ca lung, restaging", "RUQ pain, ? gallstones", "LOC, anticoagulated", "haematuria", "routine follow up");
    static final List<String> COMMENTS = List.of("Pt moved", "repeat due to motion", "contrast 80ml Omnipaque 350",
            "image 2 of 3", "QC ok", "Left marker", "Post contrast", "Scout");

    // ------------------------------------------------------------------------------------------------ patients

    /** A synthetic patient: facts for the answer key plus a few per-patient habits of the exporting systems. */
    record Person(PatientFacts facts, Board board, LocalDate birth, String landline, String mobile, int folderStyle) {}

    Person person(int index, Random r) {
        Board board = BOARDS.get(index < 3 ? index : r.nextInt(BOARDS.size()));
        char sex = r.nextBoolean() ? 'M' : 'F';
        String given = Fakes.pick(r, sex == 'M' ? Fakes.MALE : Fakes.FEMALE);
        String family = Fakes.pick(r, Fakes.SURNAMES);
        LocalDate birth = LocalDate.of(1932, 1, 1).plusDays(r.nextInt(365 * 76));
        boolean luhn = Fakes.chance(r, 0.05);
        String chi = Fakes.chi(r, birth, sex, luhn);
        PostcodeArea area = Fakes.area(Fakes.pick(r, board.areas()));
        String postcode = Fakes.postcode(r, area);
        String town = Fakes.pick(r, area.towns());
        String address = Fakes.street(r) + ", " + town + " " + postcode;
        String landline = Fakes.phone(r, board.dialCode());
        String mobile = "07700 900" + Fakes.digits(r, 3);
        String hospitalNumber = switch (board.hospitalPrefix()) {
            case "LH" -> "LH" + Fakes.digits(r, 7);
            case "G" -> "G" + Fakes.digits(r, 7) + (char) ('A' + r.nextInt(26));
            case "T" -> "T" + Fakes.digits(r, 6);
            default -> board.hospitalPrefix() + Fakes.digits(r, 7);
        };
        PatientFacts facts = new PatientFacts(index, given, family, String.valueOf(sex), birth.toString(), chi,
                luhn ? "luhn" : "mod11", postcode, r.nextBoolean() ? landline : mobile, address, hospitalNumber);
        return new Person(facts, board, birth, landline, mobile, r.nextInt(6));
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Writes {@code patients} patients under {@code outDir} plus {@code answer-key.json}; returns the key. */
    public AnswerKey write(int patients, Path outDir) throws IOException {
        if (patients < 1) throw new IllegalArgumentException("patients must be >= 1");
        Files.createDirectories(outDir);
        List<FileEntry> entries = new ArrayList<>();
        for (int i = 0; i < patients; i++) {
            Random r = new Random(mix64(seed + (i + 1) * 0x9E3779B97F4A7C15L));
            entries.addAll(new PatientWriter(person(i, r), r, outDir).writeAll());
        }
        AnswerKey key = new AnswerKey("haven-synth", 1, seed, patients, studiesPerPatient, entries);
        if (identities) key = SyntheticIdentities.apply(outDir, key, seed);
        key.write(outDir.resolve(AnswerKey.FILE_NAME));
        return key;
    }

    /** SplitMix64's finaliser: unrelated java.util.Random seeds for neighbouring patients. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** {@code 2.25.<decimal>} from an MD5 of the seed and the parts: stable, unique enough, no clock. */
    String uid(Object... parts) {
        StringBuilder b = new StringBuilder("haven-synth|").append(seed);
        for (Object p : parts) b.append('|').append(p);
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            md5[0] &= 0x7f; // keep it to 127 bits: at most 39 digits
            return "2.25." + new BigInteger(1, md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

    /** Everything shared by the files of one study. */
    record Study(int index, LocalDate date, LocalTime time, Device device, String manufacturer, Institution institution,
                 String institutionAddress, String station, String accession, String studyUid, String studyId,
                 String referring, String performing, String operator, String description, String requested,
                 String history, String nameFormat, String patientIdFormat, boolean withAddress, boolean withPhones,
                 boolean withOtherIds, boolean withRequest, String priorStudyUid, String odd) {}

    final class PatientWriter {
        final Person p;
        final Random r;
        final Path outDir;
        final String patientFolder;
        final List<Planted> folderPlants = new ArrayList<>();
        final java.util.Set<String> usedFolders = new java.util.HashSet<>();

        PatientWriter(Person p, Random r, Path outDir) {
            this.p = p;
            this.r = r;
            this.outDir = outDir;
            PatientFacts f = p.facts();
            String family = f.familyName();
            switch (p.folderStyle()) {
                case 0 -> {
                    String up = family.toUpperCase(Locale.ROOT).replace("'", "");
                    patientFolder = up + "_" + f.givenName().toUpperCase(Locale.ROOT);
                    folderPlants.add(new Planted(AnswerKey.FILE_PATH, "name", up));
                }
                case 1 -> {
                    patientFolder = family.replace("'", "") + "^" + f.givenName();
                    folderPlants.add(new Planted(AnswerKey.FILE_PATH, "name", family.replace("'", "")));
                }
                case 2 -> {
                    patientFolder = f.hospitalNumber();
                    folderPlants.add(new Planted(AnswerKey.FILE_PATH, "hospital-number", f.hospitalNumber()));
                }
                case 3 -> {
                    patientFolder = f.chi();
                    folderPlants.add(new Planted(AnswerKey.FILE_PATH, "chi", f.chi()));
                }
                case 4 -> {
                    patientFolder = String.format("%03d_%s", f.index() + 1, family.replace("'", ""));
                    folderPlants.add(new Planted(AnswerKey.FILE_PATH, "name", family.replace("'", "")));
                }
                default -> patientFolder = String.format("PAT%05d", f.index() + 1);
            }
        }

        List<FileEntry> writeAll() throws IOException {
            int nStudies = studiesPerPatient != null ? studiesPerPatient : 1 + r.nextInt(4);
            LocalDate first = p.birth().plusYears(1).isAfter(LocalDate.of(2012, 1, 1))
                    ? p.birth().plusYears(1) : LocalDate.of(2012, 1, 1);
            long span = LocalDate.of(2025, 12, 31).toEpochDay() - first.toEpochDay();
            List<LocalDate> dates = new ArrayList<>();
            for (int s = 0; s < nStudies; s++) dates.add(first.plusDays((long) (r.nextDouble() * span)));
            dates.sort(Comparator.naturalOrder());
            List<FileEntry> out = new ArrayList<>();
            String prior = null;
            for (int s = 0; s < nStudies; s++) {
                String kind = s == 0 ? List.of("US", "CT", "SC", "MR", "XR").get(p.facts().index() % 5) : pickKind();
                Study study = study(s, dates.get(s), kind, prior);
                out.addAll(writeStudy(study));
                prior = study.studyUid();
            }
            return out;
        }

        String pickKind() {
            int x = r.nextInt(100);
            if (x < 25) return "CT";
            if (x < 45) return "MR";
            if (x < 68) return "XR";
            if (x < 86) return "US";
            if (x < 95) return "SC";
            return "ODD";
        }

        String staffName() {
            String given = Fakes.pick(r, r.nextBoolean() ? Fakes.MALE : Fakes.FEMALE);
            String family = Fakes.pick(r, Fakes.SURNAMES);
            String title = Fakes.pick(r, Fakes.STAFF_TITLES);
            return switch (r.nextInt(5)) {
                case 0 -> family + "^" + given + "^^" + title;
                case 1 -> family.toUpperCase(Locale.ROOT) + "^" + given.charAt(0);
                case 2 -> (title.isEmpty() ? "" : title + " ") + given.charAt(0) + " " + family;
                case 3 -> family + "^" + given;
                default -> family.toLowerCase(Locale.ROOT);
            };
        }

        Study study(int s, LocalDate date, String kind, String prior) {
            Board b = p.board();
            Device device;
            String description;
            String odd = null;
            switch (kind) {
                case "CT" -> { device = Fakes.pick(r, CT_DEVICES); description = Fakes.pick(r, CT_STUDIES); }
                case "MR" -> { device = Fakes.pick(r, MR_DEVICES); description = Fakes.pick(r, MR_STUDIES); }
                case "XR" -> { device = Fakes.pick(r, XR_DEVICES); description = Fakes.pick(r, XR_STUDIES); }
                case "US" -> { device = Fakes.pick(r, US_DEVICES); description = Fakes.pick(r, US_STUDIES); }
                case "SC" -> { device = Fakes.pick(r, SC_DEVICES); description = Fakes.pick(r, SC_STUDIES); }
                default -> { device = Fakes.pick(r, ODD_DEVICES); description = "Clinical photo"; odd = "unknown-device"; }
            }
            Institution inst = Fakes.pick(r, b.institutions());
            PostcodeArea instArea = Fakes.area(b.areas().get(0));
            String instAddress = Fakes.street(r) + ", " + instArea.towns().get(0) + " " + Fakes.postcode(r, instArea);
            LocalTime time = LocalTime.of(7, 30).plusMinutes(r.nextInt(12 * 60)).plusSeconds(r.nextInt(60));
            String accession = switch (r.nextInt(3)) {
                case 0 -> inst.code() + date.format(DateTimeFormatter.ofPattern("yy")) + Fakes.digits(r, 6);
                case 1 -> "A" + Fakes.digits(r, 8);
                default -> date.format(DA) + Fakes.digits(r, 4);
            };
            String station = inst.code() + device.modality() + (1 + r.nextInt(4));
            String nameFormat = Fakes.pick(r, List.of("CAPS", "CAPS", "STD", "SPACED", "LOWER", "GIVEN_FIRST", "COMMA", "MIDDLE"));
            String idFormat = Fakes.chance(r, 0.2) ? "SPACED" : Fakes.chance(r, 0.15) ? "HOSPITAL" : "CHI";
            String requested = description;
            String history = Fakes.chance(r, 0.5) ? Fakes.pick(r, HISTORY) : null;
            return new Study(s, date, time, device, Fakes.pick(r, device.manufacturers()), inst, instAddress, station,
                    accession, uid("study", p.facts().index(), s), String.valueOf(1000 + r.nextInt(9000)),
                    staffName(), Fakes.chance(r, 0.6) ? staffName() : null, Fakes.chance(r, 0.6) ? staffName() : null,
                    description, requested, history, nameFormat, idFormat, Fakes.chance(r, 0.4), Fakes.chance(r, 0.35),
                    Fakes.chance(r, 0.5), Fakes.chance(r, 0.6), prior, odd);
        }

        String patientName(String format) {
            PatientFacts f = p.facts();
            String fam = f.familyName(), giv = f.givenName();
            return switch (format) {
                case "CAPS" -> fam.toUpperCase(Locale.ROOT) + "^" + giv.toUpperCase(Locale.ROOT);
                case "STD" -> fam + "^" + giv;
                case "SPACED" -> fam.toUpperCase(Locale.ROOT) + " ^ " + giv; // inner spaces survive; trailing ones are padding
                case "LOWER" -> fam.toLowerCase(Locale.ROOT) + "^" + giv.toLowerCase(Locale.ROOT);
                case "GIVEN_FIRST" -> giv + " " + fam;
                case "COMMA" -> fam.toUpperCase(Locale.ROOT) + ", " + giv;
                default -> fam + "^" + giv + "^" + Fakes.pick(r, List.of("Ann", "Jane", "John", "Mary", "James")) + "^"
                        + (f.sex().equals("M") ? "Mr" : Fakes.pick(r, List.of("Mrs", "Ms", "Miss")));
            };
        }

        // ---------------------------------------------------------------------------------------- identifier snippets

        /** A piece of free text carrying one or two identifiers, with the values exactly as written. */
        record Snippet(String text, List<String[]> values) {}

        Snippet identifierSnippet(Study st) {
            PatientFacts f = p.facts();
            String chiText = Fakes.chance(r, 0.3) ? f.chi().substring(0, 6) + " " + f.chi().substring(6) : f.chi();
            int pick = r.nextInt(16);
            if (pick >= 9) {   // addresses, untitled names, Surname, Forename, initials, other boards' numbers
                TextPlants.Plant t = TextPlants.plant(r, f, Fakes.pick(r, Fakes.FEMALE), Fakes.pick(r, Fakes.SURNAMES));
                return new Snippet(t.text(), t.values());
            }
            switch (pick) {
                case 0 -> {
                    String name = Fakes.chance(r, 0.5) ? f.givenName() + " " + f.familyName()
                            : f.familyName().toUpperCase(Locale.ROOT) + " " + f.givenName();
                    return new Snippet(Fakes.pick(r, List.of("pt ", "for ", "Pt: ", "")) + name, List.<String[]>of(new String[] {"name", name}));
                }
                case 1 -> {
                    return new Snippet(Fakes.pick(r, List.of("CHI ", "CHI:", "chi no ", "")) + chiText,
                            List.<String[]>of(new String[] {"chi", chiText}));
                }
                case 2 -> {
                    String d = Fakes.freeTextDate(r, p.birth());
                    return new Snippet("DOB " + d, List.<String[]>of(new String[] {"date", d}));
                }
                case 3 -> {
                    String d = Fakes.freeTextDate(r, st.date().minusDays(10 + r.nextInt(900)));
                    return new Snippet(Fakes.pick(r, List.of("cf ", "compared with ", "prev ")) + d,
                            List.<String[]>of(new String[] {"date", d}));
                }
                case 4 -> {
                    return new Snippet(Fakes.pick(r, List.of("home ", "lives ", "from ")) + f.postcode(),
                            List.<String[]>of(new String[] {"postcode", f.postcode()}));
                }
                case 5 -> {
                    String ph = Fakes.chance(r, 0.5) ? p.landline() : p.mobile();
                    return new Snippet(Fakes.pick(r, List.of("contact ", "tel ", "pt mob ")) + ph,
                            List.<String[]>of(new String[] {"phone", ph}));
                }
                case 6 -> {
                    return new Snippet(Fakes.pick(r, List.of("hosp no ", "unit no ", "")) + f.hospitalNumber(),
                            List.<String[]>of(new String[] {"hospital-number", f.hospitalNumber()}));
                }
                case 7 -> {
                    return new Snippet("acc " + st.accession(), List.<String[]>of(new String[] {"accession", st.accession()}));
                }
                default -> {
                    String name = f.givenName() + " " + f.familyName();
                    return new Snippet(name + " CHI " + chiText,
                            List.of(new String[] {"name", name}, new String[] {"chi", chiText}));
                }
            }
        }

        // ---------------------------------------------------------------------------------------- per study / series

        List<FileEntry> writeStudy(Study st) throws IOException {
            // study-level free text: maybe dirty
            Snippet studyDescSnippet = Fakes.chance(r, 0.1) ? identifierSnippet(st) : null;
            Snippet requestedSnippet = Fakes.chance(r, 0.15) ? identifierSnippet(st) : null;
            Snippet historySnippet = st.history() != null && Fakes.chance(r, 0.2) ? identifierSnippet(st) : null;
            String kind = st.device().modality();
            int nSeries = switch (kind) {
                case "CT" -> 2;
                case "MR" -> 2 + r.nextInt(2);
                case "CR", "DX" -> 1 + r.nextInt(2);
                default -> 1;
            };
            List<FileEntry> out = new ArrayList<>();
            for (int se = 1; se <= nSeries; se++) {
                out.addAll(writeSeries(st, se, studyDescSnippet, requestedSnippet, historySnippet));
            }
            if (st.odd() == null && Fakes.chance(r, 0.3)) out.add(writeReport(st, nSeries + 1));
            return out;
        }

        /**
         * A Basic Text SR for the study whose narrative carries the patient's name, CHI, birth date, address, phone
         * and an untitled referrer; concept names are coded; a PNAME item names the reporter, a DATE item the report.
         */
        FileEntry writeReport(Study st, int seriesNumber) throws IOException {
            PatientFacts f = p.facts();
            FileBuilder fb = new FileBuilder();
            String sopUid = uid("report", f.index(), st.index(), seriesNumber);
            String seriesUid = uid("series", f.index(), st.index(), seriesNumber);
            header(fb, st, BASIC_TEXT_SR, sopUid, seriesUid, seriesNumber, 1, "Radiology report", null, st.time(),
                    null, null, null, null, null);
            fb.put("Modality", "SR");
            fb.list.remove(TagFromName.ImageType);
            fb.put("ValueType", "CONTAINER");
            fb.put("ContinuityOfContent", "SEPARATE");
            fb.put("CompletionFlag", "COMPLETE");
            fb.put("VerificationFlag", "UNVERIFIED");
            fb.sequence("ConceptNameCodeSequence", code(fb, "18748-4", "LN", "Diagnostic Imaging Report"));
            SequenceAttribute content = new SequenceAttribute(TagFromName.ContentSequence);
            String staffGiven = Fakes.pick(r, Fakes.MALE), staffFamily = Fakes.pick(r, Fakes.SURNAMES);
            int n = 0;
            for (TextPlants.Plant t : TextPlants.reportNarrative(r, f, p.birth(), p.landline(), staffGiven, staffFamily)) {
                AttributeList item = new AttributeList();
                fb.put(item, "RelationshipType", "CONTAINS");
                fb.put(item, "ValueType", "TEXT");
                fb.sequence(item, "ConceptNameCodeSequence", code(fb, "121071", "DCM", "Finding"));
                fb.put(item, "TextValue", t.text());
                content.addItem(item);
                String path = "ContentSequence[" + n++ + "].TextValue";
                fb.freeText.add(new FreeText(path, t.text(), !t.values().isEmpty()));
                for (String[] v : t.values()) fb.planted.add(new Planted(path, v[0], v[1]));
            }
            AttributeList observer = new AttributeList();
            fb.put(observer, "RelationshipType", "HAS OBS CONTEXT");
            fb.put(observer, "ValueType", "PNAME");
            fb.sequence(observer, "ConceptNameCodeSequence", code(fb, "121008", "DCM", "Person Observer Name"));
            String reporter = staffFamily + "^" + staffGiven;
            fb.put(observer, "PersonName", reporter);
            content.addItem(observer);
            fb.planted.add(new Planted("ContentSequence[" + n++ + "].PersonName", "staff-name", reporter));
            AttributeList date = new AttributeList();
            fb.put(date, "RelationshipType", "HAS OBS CONTEXT");
            fb.put(date, "ValueType", "DATE");
            fb.sequence(date, "ConceptNameCodeSequence", code(fb, "111060", "DCM", "Study Date"));
            fb.put(date, "Date", st.date().format(DA));
            content.addItem(date);
            fb.list.put(content);
            String rel = p.board().folder() + "/" + patientFolder + "/" + String.format("SR%02d_%d", st.index() + 1, seriesNumber) + "/REPORT.dcm";
            Path file = outDir.resolve(rel);
            Files.createDirectories(file.getParent());
            try {
                FileMetaInformation.addFileMetaInformation(fb.list, EXPLICIT_LE, "HAVENSYNTH");
                fb.list.write(file.toFile(), EXPLICIT_LE, true, true);
            } catch (DicomException e) {
                throw new IOException("writing " + rel + ": " + e.getMessage(), e);
            }
            boolean clean = fb.freeText.stream().noneMatch(FreeText::identifying);
            return new FileEntry(rel, "SR", st.manufacturer(), st.device().model(), EXPLICIT_LE, BASIC_TEXT_SR, sopUid,
                    st.studyUid(), seriesUid, st.date().toString(), 0, -1, -1, null, p.board().folder(), f,
                    new ArrayList<>(fb.planted), fb.freeText, List.of(), null, clean, null);
        }

        private AttributeList code(FileBuilder fb, String value, String scheme, String meaning) {
            AttributeList c = new AttributeList();
            fb.put(c, "CodeValue", value);
            fb.put(c, "CodingSchemeDesignator", scheme);
            fb.put(c, "CodeMeaning", meaning);
            return c;
        }

        List<FileEntry> writeSeries(Study st, int seriesNumber, Snippet studyDescSnippet, Snippet requestedSnippet,
                                    Snippet historySnippet) throws IOException {
            String modality = st.device().modality();
            boolean localizer = (modality.equals("CT") || modality.equals("MR")) && seriesNumber == 1;
            String seriesDesc = switch (modality) {
                case "CT" -> localizer ? "Topogram 0.6 T20f" : Fakes.pick(r, CT_SERIES);
                case "MR" -> localizer ? "3-pl localizer" : Fakes.pick(r, MR_SERIES);
                case "CR", "DX" -> Fakes.pick(r, XR_SERIES);
                case "US" -> Fakes.pick(r, US_SERIES);
                case "OT" -> st.odd() != null ? "Photo" : Fakes.pick(r, SC_SERIES);
                default -> "Photo";
            };
            String protocol = switch (modality) {
                case "CT" -> st.description().replace(' ', '_');
                case "MR" -> Fakes.pick(r, MR_PROTOCOLS);
                default -> Fakes.chance(r, 0.5) ? st.description() : null;
            };
            Snippet seriesSnippet = Fakes.chance(r, 0.08) ? identifierSnippet(st) : null;
            Snippet protocolSnippet = protocol != null && Fakes.chance(r, 0.06) ? identifierSnippet(st) : null;
            int instances = switch (modality) {
                case "CT", "MR" -> localizer ? 1 : 3;
                case "US" -> 2 + r.nextInt(2);
                case "OT", "SC" -> 1 + r.nextInt(2);
                default -> 1;
            };
            int ts = r.nextInt(100);
            String transferSyntax = ts < 75 ? EXPLICIT_LE : ts < 93 ? IMPLICIT_LE : EXPLICIT_BE;
            String seriesUid = uid("series", p.facts().index(), st.index(), seriesNumber);
            String seriesFolder = switch ((p.folderStyle() + st.index()) % 3) {
                case 0 -> String.format("ST%02d_SE%03d", st.index() + 1, seriesNumber);
                case 1 -> String.format("%s_%s_SE%d", st.date().format(DA), modality, seriesNumber);
                default -> String.format("S%d%04d", st.index() + 1, seriesNumber);
            };
            if (!usedFolders.add(seriesFolder)) { // two same-day studies of one modality
                seriesFolder = seriesFolder + "_" + (st.index() + 1);
                usedFolders.add(seriesFolder);
            }
            List<Planted> seriesFolderPlants = new ArrayList<>(folderPlants);
            if (seriesFolder.contains(st.date().format(DA))) {
                seriesFolderPlants.add(new Planted(AnswerKey.FILE_PATH, "study-date", st.date().format(DA)));
            }
            LocalTime seriesTime = st.time().plusMinutes(3L * seriesNumber + r.nextInt(3));
            int rows, cols;
            switch (modality) {
                case "CT" -> { rows = cols = r.nextBoolean() ? 128 : 64; }
                case "MR" -> { rows = cols = r.nextBoolean() ? 64 : 128; }
                case "CR", "DX" -> { rows = 160; cols = 128; }
                case "US" -> { rows = r.nextBoolean() ? 256 : 240; cols = rows == 256 ? 256 : 320; }
                default -> { rows = 256; cols = r.nextBoolean() ? 256 : 320; }
            }
            boolean rgb = (modality.equals("US") && Fakes.chance(r, 0.4)) || (!isGrey16(modality) && !modality.equals("US") && Fakes.chance(r, 0.6));
            boolean multiframe = modality.equals("US") && Fakes.chance(r, 0.3);
            // coverage in every archive: patient 0 starts with a multi-frame ultrasound with burned-in text,
            // patient 2 with a screenshot with burned-in text
            boolean forceBurn = st.index() == 0 && (p.facts().index() == 0 || p.facts().index() == 2);
            if (forceBurn && modality.equals("US")) multiframe = true;
            TextPlan plan = isGrey16(modality) ? null : textPlan(st, modality, rows, cols, rgb, forceBurn);
            List<FileEntry> out = new ArrayList<>();
            for (int inst = 1; inst <= instances; inst++) {
                FileBuilder fb = new FileBuilder();
                String sopClass = switch (modality) {
                    case "CT" -> CT_IMAGE;
                    case "MR" -> MR_IMAGE;
                    case "CR" -> CR_IMAGE;
                    case "DX" -> DX_IMAGE;
                    case "US" -> multiframe ? US_MULTIFRAME : US_IMAGE;
                    default -> SC_IMAGE;
                };
                String sopUid = uid("instance", p.facts().index(), st.index(), seriesNumber, inst);
                LocalTime contentTime = seriesTime.plusSeconds(7L * inst + r.nextInt(5));
                header(fb, st, sopClass, sopUid, seriesUid, seriesNumber, inst, seriesDesc, protocol, contentTime,
                        studyDescSnippet, requestedSnippet, historySnippet, seriesSnippet, protocolSnippet);
                String oddity = st.odd();
                if (oddity == null && Fakes.chance(r, 0.02)) {
                    fb.list.remove(TagFromName.Modality);
                    oddity = "no-modality";
                }
                int frames = multiframe ? 2 + r.nextInt(2) : 1;
                ImageResult img = pixels(fb, modality, rows, cols, rgb, frames, plan);
                privateTags(fb, st);

                String rel = p.board().folder() + "/" + patientFolder + "/" + seriesFolder + "/" + String.format("IMG%04d.dcm", inst);
                Path file = outDir.resolve(rel);
                Files.createDirectories(file.getParent());
                try {
                    FileMetaInformation.addFileMetaInformation(fb.list, transferSyntax, "HAVENSYNTH");
                    fb.list.write(file.toFile(), transferSyntax, true, true);
                } catch (DicomException e) {
                    throw new IOException("writing " + rel + ": " + e.getMessage(), e);
                }
                List<Planted> planted = new ArrayList<>(fb.planted);
                planted.addAll(seriesFolderPlants);
                boolean clean = fb.freeText.stream().noneMatch(FreeText::identifying);
                String modalityInFile = fb.list.get(TagFromName.Modality) == null ? null : modality;
                out.add(new FileEntry(rel, modalityInFile, st.manufacturer(), st.device().model(), transferSyntax,
                        sopClass, sopUid, st.studyUid(), seriesUid, st.date().toString(), frames, rows, cols,
                        img.photometric(), p.board().folder(), p.facts(), planted, fb.freeText, img.boxes(),
                        img.burnedInAnnotation(), clean, oddity));
            }
            return out;
        }

        // ---------------------------------------------------------------------------------------- header

        void header(FileBuilder fb, Study st, String sopClass, String sopUid, String seriesUid, int seriesNumber,
                    int instanceNumber, String seriesDesc, String protocol, LocalTime contentTime,
                    Snippet studyDescSnippet, Snippet requestedSnippet, Snippet historySnippet,
                    Snippet seriesSnippet, Snippet protocolSnippet) {
            PatientFacts f = p.facts();
            String modality = st.device().modality();
            String date = st.date().format(DA);
            fb.put("SpecificCharacterSet", "ISO_IR 100");
            fb.put("ImageType", modality.equals("OT") || modality.equals("SC")
                    ? new String[] {"DERIVED", "SECONDARY"}
                    : modality.equals("CT") ? new String[] {"ORIGINAL", "PRIMARY", "AXIAL"}
                    : modality.equals("MR") || modality.equals("US") ? new String[] {"ORIGINAL", "PRIMARY", "OTHER"}
                    : new String[] {"ORIGINAL", "PRIMARY"});
            fb.put("SOPClassUID", sopClass);
            fb.put("SOPInstanceUID", sopUid);
            fb.put("StudyDate", date);
            fb.planted.add(new Planted("StudyDate", "study-date", date));
            fb.put("SeriesDate", date);
            fb.put("ContentDate", date);
            fb.put("StudyTime", st.time().format(TM));
            fb.put("ContentTime", contentTime.format(TM));
            fb.putPlanted("AccessionNumber", "accession", st.accession());
            fb.put("Modality", modality);
            if (st.odd() != null) fb.put("ConversionType", "DI");
            else if (modality.equals("OT")) fb.put("ConversionType", Fakes.chance(r, 0.5) ? "WSD" : "SI");
            fb.put("Manufacturer", st.manufacturer());
            fb.putPlanted("InstitutionName", "institution", st.institution().name());
            if (Fakes.chance(r, 0.5)) fb.putPlanted("InstitutionAddress", "address", st.institutionAddress());
            fb.putPlanted("ReferringPhysicianName", "staff-name", st.referring());
            if (Fakes.chance(r, 0.7)) fb.putPlanted("StationName", "station", st.station());
            fb.freeTextField("StudyDescription", st.description(), studyDescSnippet, 64);
            fb.freeTextField("SeriesDescription", seriesDesc, seriesSnippet, 64);
            if (st.performing() != null) fb.putPlanted("PerformingPhysicianName", "staff-name", st.performing());
            if (st.operator() != null) fb.putPlanted("OperatorsName", "staff-name", st.operator());
            if (!st.device().model().isEmpty()) fb.put("ManufacturerModelName", st.device().model());

            // patient module, messy
            fb.putPlanted("PatientName", "name", patientName(st.nameFormat()));
            String pid = switch (st.patientIdFormat()) {
                case "SPACED" -> f.chi().substring(0, 6) + " " + f.chi().substring(6);
                case "HOSPITAL" -> f.hospitalNumber();
                default -> f.chi();
            };
            fb.putPlanted("PatientID", st.patientIdFormat().equals("HOSPITAL") ? "hospital-number" : "chi", pid);
            fb.putPlanted("IssuerOfPatientID", "issuer", st.patientIdFormat().equals("HOSPITAL") ? p.board().issuer() : "CHI");
            fb.put("PatientBirthDate", p.birth().format(DA));
            fb.planted.add(new Planted("PatientBirthDate", "birth-date", p.birth().format(DA)));
            fb.put("PatientSex", f.sex());
            fb.put("PatientAge", String.format("%03dY", Period.between(p.birth(), st.date()).getYears()));
            if (st.withOtherIds()) {
                String other = st.patientIdFormat().equals("HOSPITAL") ? f.chi() : f.hospitalNumber();
                fb.putPlanted("OtherPatientIDs", st.patientIdFormat().equals("HOSPITAL") ? "chi" : "hospital-number", other);
                AttributeList item = new AttributeList();
                fb.put(item, "PatientID", f.hospitalNumber());
                fb.put(item, "IssuerOfPatientID", p.board().issuer());
                fb.put(item, "TypeOfPatientID", "TEXT");
                fb.sequence("OtherPatientIDsSequence", item);
                fb.planted.add(new Planted("OtherPatientIDsSequence[0].PatientID", "hospital-number", f.hospitalNumber()));
            }
            if (st.withAddress()) {
                String addr = Fakes.chance(r, 0.5) ? f.address() : f.address().replace(", ", "^");
                fb.putPlanted("PatientAddress", "address", addr);
                fb.planted.add(new Planted("PatientAddress", "postcode", f.postcode()));
            }
            if (st.withPhones()) {
                if (Fakes.chance(r, 0.3)) {
                    fb.put("PatientTelephoneNumbers", p.landline(), p.mobile());
                    fb.planted.add(new Planted("PatientTelephoneNumbers", "phone", p.landline()));
                    fb.planted.add(new Planted("PatientTelephoneNumbers", "phone", p.mobile()));
                } else {
                    fb.putPlanted("PatientTelephoneNumbers", "phone", f.phone());
                }
            }
            if (st.history() != null) fb.freeTextField("AdditionalPatientHistory", st.history(), historySnippet, 10240);
            if (Fakes.chance(r, 0.4)) {
                fb.put("PatientSize", String.format(Locale.ROOT, "%.2f", 1.5 + r.nextInt(45) / 100.0));
                fb.put("PatientWeight", String.valueOf(45 + r.nextInt(70)));
            }

            // equipment / acquisition
            if (!st.device().software().isEmpty()) fb.put("SoftwareVersions", st.device().software().split("\\\\"));
            if (protocol != null) fb.freeTextField("ProtocolName", protocol, protocolSnippet, 64);
            switch (modality) {
                case "CT" -> {
                    fb.put("KVP", String.valueOf(List.of(80, 100, 120, 140).get(r.nextInt(4))));
                    fb.put("SliceThickness", seriesNumber == 1 ? "0.6" : "5");
                    fb.put("AcquisitionNumber", "1");
                }
                case "MR" -> {
                    fb.put("MagneticFieldStrength", Fakes.chance(r, 0.5) ? "1.5" : "3");
                    fb.put("RepetitionTime", String.valueOf(400 + r.nextInt(8000)));
                    fb.put("EchoTime", String.valueOf(10 + r.nextInt(110)));
                    fb.put("ScanningSequence", "SE");
                    fb.put("SequenceVariant", "SK");
                    fb.putEmpty("ScanOptions");
                    fb.put("MRAcquisitionType", "2D");
                    fb.put("EchoTrainLength", "1");
                    fb.put("SliceThickness", "5");
                }
                case "CR" -> {
                    fb.put("ViewPosition", Fakes.chance(r, 0.5) ? "PA" : "AP");
                    fb.put("PatientOrientation", "P", "F");
                }
                case "DX" -> {
                    fb.put("PresentationIntentType", "FOR PRESENTATION");
                    fb.put("ImageLaterality", "U");
                    fb.put("PixelIntensityRelationship", "LOG");
                    fb.put("PixelIntensityRelationshipSign", 1);
                    fb.put("RescaleIntercept", "0");
                    fb.put("RescaleSlope", "1");
                    fb.put("RescaleType", "US");
                    fb.put("PresentationLUTShape", "IDENTITY");
                    fb.put("LossyImageCompression", "00");
                    fb.put("PatientOrientation", "P", "F");
                    fb.put("BurnedInAnnotation", "NO");
                    fb.put("DetectorType", "SCINTILLATOR");
                    fb.put("ImagerPixelSpacing", "0.139", "0.139");
                    fb.put("WindowCenter", "2048");
                    fb.put("WindowWidth", "4096");
                    fb.sequence("AcquisitionContextSequence", null);
                    fb.sequence("AnatomicRegionSequence", null);
                }
                default -> fb.putEmpty("PatientOrientation");
            }
            String bodyPart = modality.equals("DX") ? null : bodyPart(st.description());
            if (bodyPart != null) fb.put("BodyPartExamined", bodyPart);
            else if (modality.equals("CR")) fb.putEmpty("BodyPartExamined");
            if (bodyPart != null && List.of("KNEE", "WRIST", "ANKLE").contains(bodyPart)) {
                fb.put("Laterality", st.description().contains("LEFT") ? "L" : "R");
            } else if (bodyPart == null && !modality.equals("DX")) {
                fb.putEmpty("Laterality");
            }

            // study / series / instance identification
            fb.put("StudyInstanceUID", st.studyUid());
            fb.put("SeriesInstanceUID", seriesUid);
            fb.put("StudyID", st.studyId());
            fb.put("SeriesNumber", String.valueOf(seriesNumber));
            fb.put("InstanceNumber", String.valueOf(instanceNumber));
            if (modality.equals("CT") || modality.equals("MR")) {
                double z = -100 + 5.0 * instanceNumber;
                fb.put("ImagePositionPatient", "-125", "-125", String.format(Locale.ROOT, "%.1f", z));
                fb.put("ImageOrientationPatient", "1", "0", "0", "0", "1", "0");
                fb.put("FrameOfReferenceUID", uid("for", f.index(), st.index()));
                fb.put("SliceLocation", String.format(Locale.ROOT, "%.1f", z));
                fb.putEmpty("PositionReferenceIndicator");
                fb.put("PatientPosition", "HFS");
            }
            // instance-level free text
            if (Fakes.chance(r, 0.45)) {
                Snippet commentSnippet = Fakes.chance(r, 0.25) ? identifierSnippet(st) : null;
                fb.freeTextField("ImageComments", Fakes.pick(r, COMMENTS), commentSnippet, 10240);
            }

            // request attributes: top level and in a sequence, with nested items
            if (st.withRequest()) {
                fb.freeTextField("RequestedProcedureDescription", st.requested(), requestedSnippet, 64);
                AttributeList item = new AttributeList();
                fb.put(item, "RequestedProcedureID", "RP" + st.studyId());
                fb.put(item, "ScheduledProcedureStepID", "SPS" + st.studyId());
                fb.put(item, "AccessionNumber", st.accession());
                fb.planted.add(new Planted("RequestAttributesSequence[0].AccessionNumber", "accession", st.accession()));
                String text = compose(st.requested(), requestedSnippet, 64);
                fb.put(item, "RequestedProcedureDescription", text);
                fb.freeText.add(new FreeText("RequestAttributesSequence[0].RequestedProcedureDescription", text,
                        text.length() > st.requested().length()));
                if (text.length() > st.requested().length()) {
                    for (String[] v : requestedSnippet.values()) {
                        fb.planted.add(new Planted("RequestAttributesSequence[0].RequestedProcedureDescription", v[0], v[1]));
                    }
                }
                AttributeList ref = new AttributeList();
                fb.put(ref, "ReferencedSOPClassUID", "1.2.840.10008.3.1.2.3.1");
                fb.put(ref, "ReferencedSOPInstanceUID", st.studyUid());
                fb.sequence(item, "ReferencedStudySequence", ref);
                AttributeList code = new AttributeList();
                fb.put(code, "CodeValue", "RPC" + (100 + st.description().length()));
                fb.put(code, "CodingSchemeDesignator", "99HAVEN");
                fb.put(code, "CodeMeaning", st.description());
                fb.sequence(item, "ScheduledProtocolCodeSequence", code);
                fb.sequence("RequestAttributesSequence", item);
            }
            if (st.priorStudyUid() != null && Fakes.chance(r, 0.5)) {
                AttributeList ref = new AttributeList();
                fb.put(ref, "ReferencedSOPClassUID", "1.2.840.10008.3.1.2.3.1");
                fb.put(ref, "ReferencedSOPInstanceUID", st.priorStudyUid());
                fb.sequence("ReferencedStudySequence", ref);
            }
        }

        /** Haven's own private block (0009,00xx) and a vendor-like one (0019,00xx), numeric params plus identifiers. */
        void privateTags(FileBuilder fb, Study st) {
            PatientFacts f = p.facts();
            fb.putPrivate(0x0009, 0x0010, HAVEN_PRIVATE_CREATOR);
            if (Fakes.chance(r, 0.6)) {
                boolean name = r.nextBoolean();
                String v = name ? f.familyName().toUpperCase(Locale.ROOT) + "^" + f.givenName().toUpperCase(Locale.ROOT) : f.chi();
                fb.putPrivate(0x0009, 0x1010, v);
                fb.planted.add(new Planted("(0009,1010)", name ? "name" : "chi", v));
            }
            fb.putPrivateNumber(0x0009, 0x1011, new DecimalStringAttribute(new AttributeTag(0x0009, 0x1011)),
                    String.format(Locale.ROOT, "%.3f", 0.5 + r.nextInt(2000) / 1000.0));
            fb.putPrivateNumber(0x0009, 0x1012, new IntegerStringAttribute(new AttributeTag(0x0009, 0x1012)),
                    String.valueOf(1 + r.nextInt(16)));
            fb.putPrivate(0x0009, 0x1013, Fakes.pick(r, List.of("RECON B30f", "STANDARD", "SHARP", "FILTER 3")));
            String vendor = st.device().vendorFamily();
            String creator = vendor.equals("ge") ? "GEMS_HVN_01" : vendor.equals("siemens") ? "SIEMENS HVN 1.0" : "HVN VENDOR 01";
            fb.putPrivate(0x0019, 0x0010, creator);
            fb.putPrivate(0x0019, 0x1010, Fakes.pick(r, List.of("HELICAL", "FAST SPIN ECHO", "AXIAL", "SCOUT", "B-MODE")));
            fb.putPrivateNumber(0x0019, 0x1011, new DecimalStringAttribute(new AttributeTag(0x0019, 0x1011)),
                    String.format(Locale.ROOT, "%.1f", 1 + r.nextInt(300) / 10.0));
            if (Fakes.chance(r, 0.3)) {
                fb.putPrivate(0x0019, 0x1020, f.hospitalNumber());
                fb.planted.add(new Planted("(0019,1020)", "hospital-number", f.hospitalNumber()));
            }
        }

        // ---------------------------------------------------------------------------------------- pixels

        record ImageResult(String photometric, List<BurnedIn> boxes, String burnedInAnnotation) {}

        /** Burned-in text of a series: the same lines at the same places on every image, as a device does. */
        record TextPlan(boolean burn, List<String> lines, List<String> kinds, List<int[]> positions, Color colour,
                        String burnedInAnnotation, int topBand) {}

        TextPlan textPlan(Study st, String modality, int rows, int cols, boolean rgb, boolean forceBurn) {
            boolean ultrasound = modality.equals("US");
            boolean burn = forceBurn || (ultrasound ? Fakes.chance(r, 0.6) : st.odd() == null && Fakes.chance(r, 0.7));
            List<String> lines = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            List<int[]> positions = new ArrayList<>();
            if (burn) textLayout(st, ultrasound, rows, cols, lines, kinds, positions);
            Color colour = rgb ? Fakes.pick(r, List.of(Color.WHITE, Color.YELLOW, Color.GREEN)) : Color.WHITE;
            String header;
            int h = r.nextInt(100);
            if (burn) header = h < 75 ? "YES" : h < 90 ? null : "NO"; // sometimes the header lies
            else header = h < 70 ? "NO" : null;
            return new TextPlan(burn, lines, kinds, positions, colour, header, ultrasound ? 44 : 26);
        }

        ImageResult pixels(FileBuilder fb, String modality, int rows, int cols, boolean rgb, int frames, TextPlan plan) {
            AttributeList l = fb.list;
            fb.put("Rows", rows);
            fb.put("Columns", cols);
            if (isGrey16(modality)) {
                fb.put("SamplesPerPixel", 1);
                fb.put("PhotometricInterpretation", "MONOCHROME2");
                fb.put("BitsAllocated", 16);
                fb.put("BitsStored", 12);
                fb.put("HighBit", 11);
                fb.put("PixelRepresentation", 0);
                fb.put("PixelSpacing", "0.7", "0.7");
                if (modality.equals("CT")) {
                    fb.put("RescaleIntercept", "-1024");
                    fb.put("RescaleSlope", "1");
                    fb.put("WindowCenter", "40");
                    fb.put("WindowWidth", "400");
                }
                short[] px = Pixels.grey16(r, rows, cols, !modality.equals("CT") && !modality.equals("MR"));
                OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
                try {
                    a.setValues(px);
                } catch (DicomException e) {
                    throw new IllegalStateException(e);
                }
                l.put(a);
                return new ImageResult("MONOCHROME2", List.of(),
                        Attribute.getSingleStringValueOrNull(l, TagFromName.BurnedInAnnotation));
            }
            // 8-bit: US, SC/OT screenshots, photos
            boolean ultrasound = modality.equals("US");
            int topBand = plan.topBand();
            List<BurnedIn> boxes = new ArrayList<>();
            ByteBuffer all = ByteBuffer.allocate(rows * cols * (rgb ? 3 : 1) * frames);
            for (int frame = 0; frame < frames; frame++) {
                BufferedImage img = Pixels.canvas(r, rows, cols, rgb, ultrasound, topBand);
                if (plan.burn()) {
                    List<int[]> b = Pixels.burn(img, plan.colour(), plan.lines(), plan.positions());
                    for (int i = 0; i < b.size(); i++) {
                        int[] x = b.get(i);
                        boxes.add(new BurnedIn(frame, x[0], x[1], x[2], x[3], plan.lines().get(i), plan.kinds().get(i)));
                    }
                }
                all.put(Pixels.bytes(img, rgb));
            }
            fb.put("SamplesPerPixel", rgb ? 3 : 1);
            fb.put("PhotometricInterpretation", rgb ? "RGB" : "MONOCHROME2");
            if (rgb) fb.put("PlanarConfiguration", 0);
            fb.put("BitsAllocated", 8);
            fb.put("BitsStored", 8);
            fb.put("HighBit", 7);
            fb.put("PixelRepresentation", 0);
            if (frames > 1) {
                fb.put("NumberOfFrames", String.valueOf(frames));
                fb.put("FrameTime", "33.3");
                fb.put("FrameIncrementPointer", TagFromName.FrameTime);
            }
            if (ultrasound) {
                AttributeList region = new AttributeList();
                fb.put(region, "RegionSpatialFormat", 1);
                fb.put(region, "RegionDataType", 1);
                fb.putUL(region, "RegionFlags", 0);
                fb.putUL(region, "RegionLocationMinX0", 0);
                fb.putUL(region, "RegionLocationMinY0", topBand);
                fb.putUL(region, "RegionLocationMaxX1", cols - 1);
                fb.putUL(region, "RegionLocationMaxY1", rows - 1);
                fb.put(region, "PhysicalUnitsXDirection", 3);
                fb.put(region, "PhysicalUnitsYDirection", 3);
                fb.putFD(region, "PhysicalDeltaX", 0.025);
                fb.putFD(region, "PhysicalDeltaY", 0.025);
                fb.sequence("SequenceOfUltrasoundRegions", region);
            }
            String burnedHeader = plan.burnedInAnnotation();
            if (burnedHeader != null) fb.put("BurnedInAnnotation", burnedHeader);
            OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
            try {
                a.setValues(all.array());
            } catch (DicomException e) {
                throw new IllegalStateException(e);
            }
            l.put(a);
            return new ImageResult(rgb ? "RGB" : "MONOCHROME2", boxes, burnedHeader);
        }

        /** Where the burned-in lines go: all inside the top band (ultrasound: outside the ultrasound region). */
        void textLayout(Study st, boolean ultrasound, int rows, int cols, List<String> lines, List<String> kinds,
                        List<int[]> positions) {
            PatientFacts f = p.facts();
            String name = Fakes.chance(r, 0.5) ? f.familyName().toUpperCase(Locale.ROOT) + ", " + f.givenName().toUpperCase(Locale.ROOT)
                    : f.givenName() + " " + f.familyName();
            String id = Fakes.chance(r, 0.7) ? f.chi() : f.hospitalNumber();
            String date = Fakes.chance(r, 0.5) ? st.date().format(DateTimeFormatter.ofPattern("dd/MM/yyyy"))
                    : st.date().format(DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.UK)).replace("Sept", "Sep");
            int rightEdge = cols - 4;
            if (ultrasound) {
                addLine(lines, kinds, positions, name, "name", 4, 17);
                addLine(lines, kinds, positions, id, id.equals(f.chi()) ? "chi" : "hospital-number", 4, 37);
                int w = Pixels.textWidth(date);
                if (rightEdge - w > 4 + Pixels.textWidth(name) + 8) addLine(lines, kinds, positions, date, "date", rightEdge - w, 17);
                String label = st.institution().code() + " " + st.device().model().split(" ")[0];
                int lw = Pixels.textWidth(label);
                if (rightEdge - lw > 4 + Pixels.textWidth(id) + 8) addLine(lines, kinds, positions, label, "institution", rightEdge - lw, 37);
            } else {
                String first = name;
                addLine(lines, kinds, positions, first, "name", 4, 18);
                int x = 4 + Pixels.textWidth(first) + 12;
                if (x + Pixels.textWidth(id) < rightEdge) {
                    addLine(lines, kinds, positions, id, id.equals(f.chi()) ? "chi" : "hospital-number", x, 18);
                    x += Pixels.textWidth(id) + 12;
                } else {
                    // no room in the title bar: the identifier goes into the status bar at the bottom
                    addLine(lines, kinds, positions, id, id.equals(f.chi()) ? "chi" : "hospital-number", 6, rows - 7);
                }
                if (x + Pixels.textWidth(date) < rightEdge) addLine(lines, kinds, positions, date, "date", x, 18);
            }
        }

        void addLine(List<String> lines, List<String> kinds, List<int[]> positions, String text, String kind, int x, int baseline) {
            lines.add(text);
            kinds.add(kind);
            positions.add(new int[] {x, baseline});
        }

        /** Clinical text, with an identifier snippet appended or prepended when it fits. */
        String compose(String base, Snippet snippet, int max) {
            if (snippet == null) return base;
            String text = (base.length() % 2 == 0) ? base + " " + snippet.text() : snippet.text() + " - " + base;
            return text.length() <= max ? text : base;
        }

        /** Builds one data set and records what was planted where. */
        final class FileBuilder {
            final AttributeList list = new AttributeList();
            final List<Planted> planted = new ArrayList<>();
            final List<FreeText> freeText = new ArrayList<>();

            void put(String keyword, String... values) { put(list, keyword, values); }

            void put(String keyword, int value) { put(list, keyword, value); }

            void put(String keyword, AttributeTag value) {
                try {
                    AttributeTagAttribute a = new AttributeTagAttribute(tag(keyword));
                    a.addValue(value);
                    list.put(a);
                } catch (DicomException e) {
                    throw new IllegalStateException(keyword, e);
                }
            }

            /** Sets one attribute's value(s); PixelMed's checked exceptions become a generator bug. */
            private void putWith(AttributeList target, String keyword, ValueSetter setter) {
                try {
                    Attribute a = newAttribute(keyword);
                    setter.set(a);
                    target.put(a);
                } catch (DicomException e) {
                    throw new IllegalStateException(keyword, e);
                }
            }

            void put(AttributeList target, String keyword, String... values) {
                putWith(target, keyword, a -> { for (String v : values) a.addValue(v); });
            }

            void put(AttributeList target, String keyword, int value) { putWith(target, keyword, a -> a.addValue(value)); }

            void putUL(AttributeList target, String keyword, long value) { putWith(target, keyword, a -> a.addValue(value)); }

            void putFD(AttributeList target, String keyword, double value) { putWith(target, keyword, a -> a.addValue(value)); }

            void putPlanted(String keyword, String kind, String value) {
                put(keyword, value);
                planted.add(new Planted(keyword, kind, value));
            }

            void freeTextField(String keyword, String base, Snippet snippet, int max) {
                String text = compose(base, snippet, max);
                boolean dirty = text.length() > base.length();
                put(keyword, text);
                freeText.add(new FreeText(keyword, text, dirty));
                if (dirty) for (String[] v : snippet.values()) planted.add(new Planted(keyword, v[0], v[1]));
            }

            void sequence(String keyword, AttributeList item) { sequence(list, keyword, item); }

            /** A sequence with one item, or empty where {@code item} is null. */
            void sequence(AttributeList target, String keyword, AttributeList item) {
                SequenceAttribute seq = new SequenceAttribute(tag(keyword));
                if (item != null) seq.addItem(item);
                target.put(seq);
            }

            void putEmpty(String keyword) {
                try {
                    list.put(newAttribute(keyword));
                } catch (DicomException e) {
                    throw new IllegalStateException(keyword, e);
                }
            }

            void putPrivate(int group, int element, String value) {
                try {
                    Attribute a = new LongStringAttribute(new AttributeTag(group, element));
                    a.addValue(value);
                    list.put(a);
                } catch (DicomException e) {
                    throw new IllegalStateException(e);
                }
            }

            void putPrivateNumber(int group, int element, Attribute a, String value) {
                try {
                    a.addValue(value);
                    list.put(a);
                } catch (DicomException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    static String bodyPart(String description) {
        String d = description.toUpperCase(Locale.ROOT);
        if (d.contains("HEAD") || d.contains("BRAIN")) return "HEAD";
        if (d.contains("SPINE")) return "SPINE";
        if (d.contains("CHEST")) return "CHEST";
        if (d.contains("KNEE")) return "KNEE";
        if (d.contains("WRIST")) return "WRIST";
        if (d.contains("ANKLE")) return "ANKLE";
        if (d.contains("PELVIS")) return "PELVIS";
        if (d.contains("ABDO") || d.contains("LIVER") || d.contains("RENAL") || d.contains("KUB")) return "ABDOMEN";
        return null;
    }

    static boolean isGrey16(String modality) {
        return modality.equals("CT") || modality.equals("MR") || modality.equals("CR") || modality.equals("DX");
    }

    static AttributeTag tag(String keyword) {
        AttributeTag t = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (t == null) throw new IllegalArgumentException("unknown DICOM keyword " + keyword);
        return t;
    }

    static Attribute newAttribute(String keyword) throws DicomException {
        AttributeTag t = tag(keyword);
        return AttributeFactory.newAttribute(t, DicomDictionary.StandardDictionary.getValueRepresentationFromTag(t));
    }

    @FunctionalInterface
    private interface ValueSetter { void set(Attribute a) throws DicomException; }
}

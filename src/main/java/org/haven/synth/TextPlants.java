package org.haven.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.haven.synth.AnswerKey.PatientFacts;

/**
 * Messy free-text identifiers for the synthetic archive, as clinicians and clerks write them: addresses in history
 * and comments ("Fall at home, 27 Kirkton Crescent, Forfar DD8 3AB"), Glasgow flat positions and "c/o", names without
 * titles ("seen by Eilidh MACRAE"), "Surname, Forename" order, initials ("E. Macrae"), hospital numbers of other
 * boards, and SR narratives carrying several of these at once. Each plant returns the text and the values exactly as
 * written (kind, value) for the answer key.
 */
final class TextPlants {
    /** Text with the identifiers in it, each as {kind, value}. */
    record Plant(String text, List<String[]> values) {}

    /** Hospital-number formats of several boards (Lothian, Glasgow, Tayside, Grampian, Highland). */
    static String otherBoardHospitalNumber(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "LH" + Fakes.digits(r, 7);
            case 1 -> "G" + Fakes.digits(r, 7) + (char) ('A' + r.nextInt(26));
            case 2 -> "T" + Fakes.digits(r, 6);
            case 3 -> "A" + Fakes.digits(r, 7);
            default -> "H" + Fakes.digits(r, 7);
        };
    }

    /** The street part ("27 Kirkton Crescent") and town of a patient's address "27 Kirkton Crescent, Forfar DD8 3AB". */
    static String[] streetAndTown(PatientFacts f) {
        String a = f.address();
        int comma = a.indexOf(", ");
        String street = comma < 0 ? a : a.substring(0, comma);
        String rest = comma < 0 ? "" : a.substring(comma + 2);
        String town = rest.endsWith(f.postcode()) ? rest.substring(0, rest.length() - f.postcode().length()).trim() : rest;
        return new String[] {street, town};
    }

    static Plant plant(Random r, PatientFacts f, String staffGiven, String staffFamily) {
        String[] st = streetAndTown(f);
        String street = st[0], town = st[1];
        switch (r.nextInt(7)) {
            case 0 -> {
                String t = Fakes.pick(r, List.of("Fall at home, ", "Lives alone at ", "Found collapsed at ", "Home address: "))
                        + street + ", " + town + " " + f.postcode();
                return new Plant(t, List.of(new String[] {"address", street}, new String[] {"town", town}, new String[] {"postcode", f.postcode()}));
            }
            case 1 -> {
                String flat = "Flat " + (r.nextInt(3)) + "/" + (1 + r.nextInt(2));
                String t = Fakes.pick(r, List.of("c/o ", "visiting ", "")) + flat + ", " + street + ", " + town;
                return new Plant(t, List.of(new String[] {"address", flat + ", " + street}, new String[] {"town", town}));
            }
            case 2 -> {
                String name = staffGiven + " " + staffFamily.toUpperCase(Locale.ROOT);
                return new Plant(Fakes.pick(r, List.of("seen by ", "referred by ", "discussed with ")) + name, List.<String[]>of(new String[] {"untitled-name", name}));
            }
            case 3 -> {
                String name = f.familyName() + ", " + f.givenName();
                return new Plant(name + " " + Fakes.pick(r, List.of("- known to service", "attends with daughter", "")).trim(),
                        List.<String[]>of(new String[] {"name", name}));
            }
            case 4 -> {
                String name = f.givenName().charAt(0) + ". " + f.familyName();
                return new Plant("pt " + name + " consented", List.<String[]>of(new String[] {"name", name}));
            }
            case 5 -> {
                String hn = otherBoardHospitalNumber(r);
                return new Plant(Fakes.pick(r, List.of("prev imaging under ", "old hosp no ", "transferred, unit no ")) + hn,
                        List.<String[]>of(new String[] {"other-board-hospital-number", hn}));
            }
            default -> {
                String name = f.givenName() + " " + f.familyName();
                return new Plant("GP " + "Dr " + staffFamily + " re " + name, List.of(new String[] {"name", name}, new String[] {"staff-name", staffFamily}));
            }
        }
    }

    /**
     * An SR narrative: name, CHI, address, phone, date of birth, a referrer without title, in a few sentences.
     * Returns the sentences (one TEXT content item each) and what was planted.
     */
    static List<Plant> reportNarrative(Random r, PatientFacts f, LocalDate birth, String phone, String staffGiven, String staffFamily) {
        String[] st = streetAndTown(f);
        String dob = Fakes.freeTextDate(r, birth);
        String chi = Fakes.chance(r, 0.5) ? f.chi() : f.chi().substring(0, 6) + " " + f.chi().substring(6);
        String staff = staffGiven + " " + staffFamily.toUpperCase(Locale.ROOT);
        List<Plant> out = new ArrayList<>();
        out.add(new Plant("Patient " + f.givenName() + " " + f.familyName() + ", CHI " + chi + ", DOB " + dob + ".",
                List.of(new String[] {"name", f.givenName() + " " + f.familyName()}, new String[] {"chi", chi}, new String[] {"date", dob})));
        out.add(new Plant("Address " + st[0] + ", " + st[1] + " " + f.postcode() + ", tel " + phone + ".",
                List.of(new String[] {"address", st[0]}, new String[] {"town", st[1]}, new String[] {"postcode", f.postcode()},
                        new String[] {"phone", phone})));
        out.add(new Plant("Referred by " + staff + " for chest pain. Findings: no acute abnormality; mild cardiomegaly.",
                List.<String[]>of(new String[] {"untitled-name", staff})));
        out.add(new Plant("Conclusion: stable appearances, no follow-up imaging required.", List.of()));
        return out;
    }
}

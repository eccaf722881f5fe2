package org.haven.deidentify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Test keys and contexts (test-only values; real keys come from configuration). */
final class Keys {
    static final byte[] KEY = "test-key-not-for-production".getBytes(StandardCharsets.UTF_8);
    static final String PROJECT = "P001";
    static final ProfileRegistry REGISTRY = ProfileRegistry.load(Path.of("config/profiles"));

    private Keys() {}

    static DeidContext context(String pseudonym) {
        return new DeidContext(PROJECT, pseudonym, DateShift.offsetDays(KEY, PROJECT, pseudonym), new UidRemapper(KEY, PROJECT), false);
    }

    /** The pseudonym the store would give: here a keyed function of the original PatientID. */
    static String pseudonymFor(String patientId) {
        return "HVN" + new UidRemapper(KEY, PROJECT).hash("pid|" + patientId).substring(0, 8);
    }
}

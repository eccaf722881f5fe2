package org.haven.text;

import java.util.List;

/** The built-in classifications, most serious first; the order ranks overlapping findings and the primary one. */
public final class Classifications {
    public static final String SOURCE_IDENTIFIER = "source-identifier";
    public static final String CHI = "chi";
    public static final String NHS_NUMBER = "nhs-number";
    public static final String HOSPITAL_NUMBER = "hospital-number";
    public static final String NAME = "name";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String POSTCODE = "postcode";
    public static final String DATE = "date";

    public static final String ADDRESS = "address";
    public static final String REDACT = "redact";

    static final List<String> BY_SEVERITY = List.of(SOURCE_IDENTIFIER, CHI, NHS_NUMBER, HOSPITAL_NUMBER, NAME, ADDRESS, EMAIL, PHONE, POSTCODE, DATE, REDACT);

    private Classifications() {}

    /** 0 = most serious; classifications from custom rules rank after the built-in ones. */
    public static int rank(String classification) {
        int i = BY_SEVERITY.indexOf(classification);
        return i < 0 ? BY_SEVERITY.size() : i;
    }
}

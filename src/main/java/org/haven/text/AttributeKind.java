package org.haven.text;

/**
 * A scope entry of {@code attributes:} in config/verify: which attributes hold free text and which hold codes or
 * technical values, each with a reason. {@code code}: only the file's own identifiers are looked for there (a method
 * code written like a person name, "XYZ^CT", a detector serial number are not names or hospital numbers);
 * {@code free-text}: cleaned and scanned as text whatever its VR. First matching entry wins.
 */
record AttributeKind(String kind, Scope scope, String reason, String where) {
    static final String CODE = "code", FREE_TEXT = "free-text";
}

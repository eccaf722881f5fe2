package org.haven.identifiers;

/** NHS number (England, Wales, Isle of Man): ten digits, modulus-11 check digit with weights 10..2. */
public final class NhsNumber {
    private NhsNumber() {}

    public static boolean isValid(String nhs) {
        if (nhs == null || nhs.length() != 10) return false;
        for (int i = 0; i < 10; i++) if (!Character.isDigit(nhs.charAt(i))) return false;
        int check = ChiNumber.mod11CheckDigit(nhs.substring(0, 9));
        return check >= 0 && check == nhs.charAt(9) - '0';
    }
}

package org.haven.identifiers;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Scotland's Community Health Index number: DDMMYY, two digits, a sex digit (odd male, even female) and a check
 * digit. The check digit is modulus 11 (weights 10..2); CHI numbers issued from February 2026 may instead carry a
 * modulus-10 (Luhn) check digit, which Public Health Scotland's checker also accepts, so {@link #isValid} does too.
 */
public final class ChiNumber {
    private ChiNumber() {}

    /** Modulus-11 check digit for the first nine digits, or -1 where modulus 11 gives no valid digit (remainder 1). */
    public static int mod11CheckDigit(String nineDigits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) sum += (nineDigits.charAt(i) - '0') * (10 - i);
        int check = 11 - (sum % 11);
        if (check == 11) return 0;
        return check == 10 ? -1 : check;
    }

    /** Luhn (modulus-10) check digit for the first nine digits. */
    public static int luhnCheckDigit(String nineDigits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            int d = nineDigits.charAt(8 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    /** Ten digits, a real DDMMYY date and a check digit valid by modulus 11 or Luhn. */
    public static boolean isValid(String chi) {
        if (chi == null || chi.length() != 10) return false;
        for (int i = 0; i < 10; i++) if (!Character.isDigit(chi.charAt(i))) return false;
        if (!hasValidDate(chi)) return false;
        int check = chi.charAt(9) - '0';
        String nine = chi.substring(0, 9);
        return mod11CheckDigit(nine) == check || luhnCheckDigit(nine) == check;
    }

    static boolean hasValidDate(String chi) {
        try {
            int dd = Integer.parseInt(chi.substring(0, 2));
            int mm = Integer.parseInt(chi.substring(2, 4));
            int yy = Integer.parseInt(chi.substring(4, 6));
            LocalDate.of(2000 + yy, mm, dd == 29 && mm == 2 ? 28 : dd); // century unknown: accept 29 Feb
            return true;
        } catch (DateTimeException | NumberFormatException e) {
            return false;
        }
    }

    /** 'M' for an odd ninth digit, 'F' for even. */
    public static char sex(String chi) { return ((chi.charAt(8) - '0') % 2 == 1) ? 'M' : 'F'; }
}

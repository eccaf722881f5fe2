package org.haven.deidentify;

import java.nio.ByteBuffer;

/**
 * Per-patient, per-project date offset. The offset is derived from HMAC-SHA256(key, "dateshift|" + project + "|" +
 * pseudonym), so every node and every rerun shifts the same patient by the same number of days, and intervals
 * between a patient's studies are kept exactly.
 *
 * <p>Range: <b>-365 .. -1 days</b> (never zero, never into the future). Dates move back by up to a year: the year of
 * an event may change, the season and weekday pattern are not preserved. Whole days only, so times of day (TM) and
 * time zones are unchanged.
 */
public final class DateShift {
    public static final int MIN_DAYS = -365;
    public static final int MAX_DAYS = -1;

    private DateShift() {}

    public static int offsetDays(byte[] key, String project, String pseudonym) {
        if (key == null || key.length == 0) throw new IllegalArgumentException("date shift key must not be empty");
        if (pseudonym == null || pseudonym.isEmpty()) throw new IllegalArgumentException("date shift needs a pseudonym");
        byte[] h = UidRemapper.hmac(key, "dateshift|" + project + "|" + pseudonym);
        long v = ByteBuffer.wrap(h, 0, 8).getLong() & Long.MAX_VALUE;
        int span = MAX_DAYS - MIN_DAYS + 1;
        return (int) (MIN_DAYS + v % span);
    }
}

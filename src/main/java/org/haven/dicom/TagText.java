package org.haven.dicom;

/** "(GGGG,EEEE)", upper-case hex, as String.format("(%04X,%04X)") writes it, without a format parse per call (hot path). */
public final class TagText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private TagText() {}

    public static String of(int group, int element) {
        char[] c = new char[11];
        c[0] = '(';
        hex4(c, 1, group);
        c[5] = ',';
        hex4(c, 6, element);
        c[10] = ')';
        return new String(c);
    }

    /** From a tag with the group in the high 16 bits. */
    public static String of(int tag) { return of(tag >>> 16, tag & 0xFFFF); }

    private static void hex4(char[] c, int at, int v) {
        for (int i = 3; i >= 0; i--) {
            c[at + i] = HEX[v & 0xF];
            v >>>= 4;
        }
    }
}

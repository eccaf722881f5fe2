package org.haven.synth;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SignedShortAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedShortAttribute;

/**
 * Overlay planes (60xx) with text drawn in them, as scanners and workstations leave them: a separate bitmap in
 * OverlayData, or (the retired form) bits embedded in the high bits of 16-bit pixel data. Text is drawn with
 * {@link Pixels#burn} (anti-aliasing off), so the returned box is where its set bits lie.
 */
public final class SyntheticOverlays {
    private SyntheticOverlays() {}

    /**
     * Adds overlay plane {@code group} (0x6000–0x601E, even) with OverlayData: {@code rows × columns} per frame, at
     * OverlayOrigin ({@code originRow}, {@code originColumn}), 1-based as in DICOM. {@code text} is drawn at
     * (x, baseline) in overlay coordinates on overlay frame {@code textFrame} (0-based), or on every frame when -1;
     * null text leaves the plane all zero.
     * @return the text's box {x, y, width, height} in overlay coordinates, or null without text
     */
    public static int[] addTextOverlay(AttributeList list, int group, int rows, int columns, int originRow, int originColumn,
                                       int frames, int textFrame, String text, int x, int baseline) throws DicomException {
        BufferedImage img = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
        List<int[]> boxes = text == null ? List.of() : Pixels.burn(img, Color.WHITE, List.of(text), List.of(new int[] {x, baseline}));
        byte[] drawn = new byte[rows * columns];
        img.getRaster().getDataElements(0, 0, columns, rows, drawn);
        long perFrame = (long) rows * columns;
        short[] words = new short[(int) ((perFrame * frames + 15) / 16)];
        for (int f = 0; f < frames; f++) {
            if (textFrame >= 0 && f != textFrame) continue;
            for (int p = 0; p < perFrame; p++) {
                if (drawn[p] == 0) continue;
                long k = f * perFrame + p; // pixel k is bit k%16 of word k/16
                words[(int) (k >> 4)] |= (short) (1 << (k & 15));
            }
        }
        describe(list, group, rows, columns, originRow, originColumn, 1, 0);
        if (frames > 1) {
            IntegerStringAttribute n = new IntegerStringAttribute(tag(group, TagFromName.NumberOfFramesInOverlay));
            n.addValue(frames);
            list.put(n);
            us(list, tag(group, TagFromName.ImageFrameOrigin), 1);
        }
        OtherWordAttribute data = new OtherWordAttribute(new AttributeTag(group, 0x3000));
        data.setValues(words);
        list.put(data);
        return boxes.isEmpty() ? null : boxes.get(0);
    }

    /**
     * Adds an overlay embedded in bit {@code bitPosition} of 16-bit unsigned pixel data (above BitsStored), with
     * {@code text} drawn at (x, baseline) on every frame.
     * @return the text's box {x, y, width, height} in image coordinates
     */
    public static int[] addEmbeddedTextOverlay(AttributeList list, int group, int bitPosition, String text, int x, int baseline)
            throws DicomException {
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        if (Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0) != 16) throw new DicomException("embedded overlays need 16-bit pixels");
        BufferedImage img = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
        int[] box = Pixels.burn(img, Color.WHITE, List.of(text), List.of(new int[] {x, baseline})).get(0);
        byte[] drawn = new byte[rows * columns];
        img.getRaster().getDataElements(0, 0, columns, rows, drawn);
        short[] px = list.get(TagFromName.PixelData).getShortValues();
        for (int f = 0; f < frames; f++) {
            for (int p = 0; p < drawn.length; p++) if (drawn[p] != 0) px[f * drawn.length + p] |= (short) (1 << bitPosition);
        }
        list.get(TagFromName.PixelData).setValues(px);
        describe(list, group, rows, columns, 1, 1, 16, bitPosition);
        return box;
    }

    private static void describe(AttributeList list, int group, int rows, int columns, int originRow, int originColumn,
                                 int bitsAllocated, int bitPosition) throws DicomException {
        us(list, tag(group, TagFromName.OverlayRows), rows);
        us(list, tag(group, TagFromName.OverlayColumns), columns);
        CodeStringAttribute type = new CodeStringAttribute(tag(group, TagFromName.OverlayType));
        type.addValue("G");
        list.put(type);
        SignedShortAttribute origin = new SignedShortAttribute(tag(group, TagFromName.OverlayOrigin));
        origin.addValue(originRow);
        origin.addValue(originColumn);
        list.put(origin);
        us(list, tag(group, TagFromName.OverlayBitsAllocated), bitsAllocated);
        us(list, tag(group, TagFromName.OverlayBitPosition), bitPosition);
    }

    private static AttributeTag tag(int group, AttributeTag in6000) { return new AttributeTag(group, in6000.getElement()); }

    private static void us(AttributeList list, AttributeTag t, int v) throws DicomException {
        UnsignedShortAttribute a = new UnsignedShortAttribute(t);
        a.addValue(v);
        list.put(a);
    }
}

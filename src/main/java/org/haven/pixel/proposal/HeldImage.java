package org.haven.pixel.proposal;

import java.util.List;

import org.haven.pixel.Box;

/**
 * One held image as the proposal sees it: its size and where OCR read the words that held it (boxes only; the words
 * themselves may be identifiers and are not needed).
 */
public record HeldImage(String fileId, int rows, int columns, List<Box> words) {

    public HeldImage {
        words = List.copyOf(words);
    }
}

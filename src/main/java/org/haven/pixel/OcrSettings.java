package org.haven.pixel;

import java.nio.file.Path;

/**
 * OCR settings from the {@code ocr:} block of a {@code config/pixels/*.yaml} file (at most one file may have it).
 *
 * @param tessdata       folder holding {@code <language>.traineddata} (Debian tesseract-ocr-eng: /usr/share/tesseract-ocr/5/tessdata)
 * @param language       Tesseract language, e.g. {@code eng}
 * @param minConfidence  words below this confidence (0–100) are ignored
 * @param minCharacters  words with fewer letters/digits are ignored (single glyphs are mostly noise on images)
 * @param maxFrames      frames of a multi-frame image to read: all up to this many, else this many spread evenly
 * @param thresholding   Tesseract binarisation passes, each a full OCR pass whose words are merged:
 *                       {@code otsu} (global; best on small device labels), {@code adaptive} (tiled Otsu; finds
 *                       text crossing bright anatomy), {@code sauvola}
 */
public record OcrSettings(Path tessdata, String language, float minConfidence, int minCharacters, int maxFrames,
                          java.util.List<String> thresholding) {

    public static final java.util.Map<String, Integer> THRESHOLDING = java.util.Map.of("otsu", 0, "adaptive", 1, "sauvola", 2);

    public OcrSettings {
        thresholding = java.util.List.copyOf(thresholding);
        if (thresholding.isEmpty()) throw new IllegalArgumentException("at least one thresholding pass");
        for (String t : thresholding) {
            if (!THRESHOLDING.containsKey(t)) throw new IllegalArgumentException("unknown thresholding " + t);
        }
    }

    public OcrSettings(Path tessdata, String language, float minConfidence, int minCharacters, int maxFrames) {
        this(tessdata, language, minConfidence, minCharacters, maxFrames, java.util.List.of("otsu"));
    }

    public static final Path DEBIAN_TESSDATA = Path.of("/usr/share/tesseract-ocr/5/tessdata");

    public static OcrSettings defaults() { return new OcrSettings(DEBIAN_TESSDATA, "eng", 60f, 3, 16); }

    /** The model file this configuration needs. */
    public Path modelFile() { return tessdata.resolve(language + ".traineddata"); }
}

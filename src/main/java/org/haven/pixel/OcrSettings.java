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
 * @param segmentation   Tesseract page segmentation passes, each combined with every thresholding pass:
 *                       {@code sparse} (scattered labels), {@code auto} (page layout), {@code block} (one block)
 */
public record OcrSettings(Path tessdata, String language, float minConfidence, int minCharacters, int maxFrames,
                          java.util.List<String> thresholding, java.util.List<String> segmentation) {

    public static final java.util.Map<String, Integer> THRESHOLDING = java.util.Map.of("otsu", 0, "adaptive", 1, "sauvola", 2, "local", 0, "local-light", 0);
    /** Names of Tesseract page segmentation modes (PSM_SPARSE_TEXT 11, PSM_AUTO 3, PSM_SINGLE_BLOCK 6). */
    public static final java.util.Map<String, Integer> SEGMENTATION = java.util.Map.of("sparse", 11, "auto", 3, "block", 6);

    public OcrSettings {
        thresholding = java.util.List.copyOf(thresholding);
        segmentation = java.util.List.copyOf(segmentation);
        if (thresholding.isEmpty()) throw new IllegalArgumentException("at least one thresholding pass");
        if (segmentation.isEmpty()) throw new IllegalArgumentException("at least one segmentation pass");
        for (String t : thresholding) {
            if (!THRESHOLDING.containsKey(t)) throw new IllegalArgumentException("unknown thresholding " + t);
        }
        for (String t : segmentation) {
            if (!SEGMENTATION.containsKey(t)) throw new IllegalArgumentException("unknown segmentation " + t);
        }
    }

    public OcrSettings(Path tessdata, String language, float minConfidence, int minCharacters, int maxFrames,
                       java.util.List<String> thresholding) {
        this(tessdata, language, minConfidence, minCharacters, maxFrames, thresholding, DEFAULT_SEGMENTATION);
    }

    public OcrSettings(Path tessdata, String language, float minConfidence, int minCharacters, int maxFrames) {
        this(tessdata, language, minConfidence, minCharacters, maxFrames, java.util.List.of("otsu"));
    }

    public static final java.util.List<String> DEFAULT_SEGMENTATION = java.util.List.of("sparse");

    public static final Path DEBIAN_TESSDATA = Path.of("/usr/share/tesseract-ocr/5/tessdata");

    public static OcrSettings defaults() { return new OcrSettings(DEBIAN_TESSDATA, "eng", 60f, 3, 16); }

    /** The model file this configuration needs. */
    public Path modelFile() { return tessdata.resolve(language + ".traineddata"); }
}

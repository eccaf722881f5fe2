package org.haven.pixel;

import java.util.List;

import com.pixelmed.dicom.AttributeList;

/**
 * Not a test: {@code java -cp target/test-classes:target/classes:<deps> org.haven.pixel.OcrBenchmark [n]} prints the
 * OCR cost per image for a 512×512 synthetic image (upscaled 2× internally, as for any image narrower than 640) and
 * a 1024×1024 one (no upscaling), after warm-up. Results go in config/pixels/README.md, not in assertions.
 */
public final class OcrBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long s0 = System.nanoTime();
        new OcrChecker(OcrSettings.defaults()).close();
        System.out.printf("start-up (native libraries + model, first thread): %.0f ms%n", (System.nanoTime() - s0) / 1e6);
        s0 = System.nanoTime();
        new OcrChecker(OcrSettings.defaults()).close();
        System.out.printf("model load per further engine (one per thread): %.0f ms%n", (System.nanoTime() - s0) / 1e6);
        for (List<String> passes : List.of(List.of("otsu"), List.of("otsu", "adaptive")))
        try (OcrChecker ocr = new OcrChecker(new OcrSettings(OcrSettings.DEBIAN_TESSDATA, "eng", 60, 3, 1, passes))) {
            System.out.println("thresholding " + passes);
            for (int size : new int[] {512, 1024}) {
                AttributeList img = Synthetic.textImage(size, size, "SMITH JOHN 12/04/1960", 30, 60, 24);
                AttributeList blank = Synthetic.textImage(size, size, "", 30, 60, 24);
                for (int i = 0; i < 3; i++) ocr.read(img, 1);
                for (AttributeList a : List.of(img, blank)) {
                    long t0 = System.nanoTime();
                    int words = 0;
                    for (int i = 0; i < n; i++) words = ocr.read(a, 1).size();
                    double ms = (System.nanoTime() - t0) / 1e6 / n;
                    System.out.printf("%dx%d %s: %.1f ms/image (%d words)%n", size, size, a == img ? "with text" : "no text", ms, words);
                }
            }
        }
        // a real file: SonoSite 320x240 YBR JPEG, first frame
        AttributeList sono = Synthetic.read(Synthetic.CORPUS.resolve("pydicom/test_files/examples_ybr_color.dcm"), false);
        try (OcrChecker ocr = new OcrChecker(OcrSettings.defaults())) {
            ocr.read(sono, 1);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) ocr.read(sono, 1);
            System.out.printf("SonoSite 320x240 JPEG frame 1 (decode + OCR): %.1f ms/frame%n", (System.nanoTime() - t0) / 1e6 / n);
        }
    }
}

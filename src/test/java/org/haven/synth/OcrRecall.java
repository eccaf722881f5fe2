package org.haven.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.haven.pixel.OcrChecker;
import org.haven.pixel.OcrHit;
import org.haven.pixel.PixelPolicy;

/**
 * OCR recall on {@link PlantedText}: a planted word is found when a hit that would hold the file (what
 * {@link PixelPolicy#verify} reports as offending, with no rule) overlaps its box, whatever its letters; exactly
 * read when such a hit has the same letters and digits. Text-free images that would be held are false holds.
 */
final class OcrRecall {

    record Result(int words, int found, int exact, int images, int heldTextFree, int textFree, double msPerImage, List<String> missed) {
        double recall() { return words == 0 ? 1 : found / (double) words; }
        double exactRecall() { return words == 0 ? 1 : exact / (double) words; }
        double falseHoldRate() { return textFree == 0 ? 0 : heldTextFree / (double) textFree; }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "words %d, found (box) %d = %.1f%%, exact %d = %.1f%%; text-free images held %d/%d; %.0f ms/image",
                words, found, 100 * recall(), exact, 100 * exactRecall(), heldTextFree, textFree, msPerImage);
        }
    }

    static Result measure(OcrChecker ocr, PixelPolicy policy, List<PlantedText.Case> withText, List<PlantedText.Case> textFree)
            throws Exception {
        int words = 0, found = 0, exact = 0, held = 0;
        long nanos = 0;
        List<String> missed = new ArrayList<>();
        for (PlantedText.Case c : withText) {
            long t0 = System.nanoTime();
            List<OcrHit> hits = ocr.read(c.image(), 1);
            nanos += System.nanoTime() - t0;
            List<OcrHit> holding = policy.verify(c.image(), null, hits).offending();
            for (PlantedText.Word w : c.words()) {
                // shorter words (a house number, "Dr") are below the policy's min-characters: never held on their own
                if (letters(w.text()).length() < policy.rules().ocr().minCharacters()) continue;
                words++;
                List<OcrHit> over = holding.stream().filter(h -> h.box().intersects(w.box())).toList();
                if (over.isEmpty()) {
                    missed.add(c.label() + " word " + w.text().length() + " chars at " + w.box());
                    continue;
                }
                found++;
                if (over.stream().anyMatch(h -> letters(h.text()).equals(letters(w.text())))) exact++;
            }
        }
        for (PlantedText.Case c : textFree) {
            long t0 = System.nanoTime();
            List<OcrHit> hits = ocr.read(c.image(), 1);
            nanos += System.nanoTime() - t0;
            if (!policy.verify(c.image(), null, hits).pass()) held++;
        }
        int images = withText.size() + textFree.size();
        return new Result(words, found, exact, images, held, textFree.size(), nanos / 1e6 / Math.max(1, images), missed);
    }

    static String letters(String s) {
        return s.replaceAll("[^\\p{L}\\p{N}]", "").toUpperCase(Locale.ROOT);
    }
}

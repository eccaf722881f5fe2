package org.haven.pixel;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tesseract.ResultIterator;
import org.bytedeco.tesseract.TessBaseAPI;
import org.bytedeco.tesseract.global.tesseract;

/**
 * Reads burned-in text from the output pixels with Tesseract (org.bytedeco presets, native libraries bundled) and
 * Debian's {@code eng.traineddata}. One {@link TessBaseAPI} per thread (model loaded once per thread, on first use);
 * the constructor checks the model and starts one engine on the calling thread, so a missing model fails at start-up
 * with a clear {@link OcrUnavailableException}.
 *
 * <p>Each configured thresholding method ({@link OcrSettings#thresholding()}) in each segmentation mode is a full pass;
 * words are merged. {@code local} and {@code local-light} are Haven's own binarisation ({@link #localContrast}), done
 * before Tesseract.
 * Each frame is rendered to 8-bit grey (monochrome scaled from its own min/max, MONOCHROME1 inverted; colour by
 * luminance; palette through its lookup tables), inverted when mostly dark so text is dark on light, and upscaled
 * 2× when narrower than 640 pixels (ultrasound labels are ~8–10 px high). Words come back with confidence and box in
 * image coordinates. Overlay planes (60xx) with content are read too, each plane frame as a black-on-white bitmap,
 * words mapped through OverlayOrigin and tagged with the plane ({@link OcrHit#overlay()}). Returned text is data for
 * findings and quarantine records; it is never logged here.
 */
public final class OcrChecker implements AutoCloseable {

    private final OcrSettings settings;
    private final List<TessBaseAPI> engines = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<TessBaseAPI> engine = ThreadLocal.withInitial(this::start);

    public OcrChecker(OcrSettings settings) {
        this.settings = settings;
        if (!Files.isRegularFile(settings.modelFile())) {
            throw new OcrUnavailableException("OCR model " + settings.modelFile() + " not found: install the Debian package tesseract-ocr-"
                    + settings.language() + " or set ocr.tessdata in config/pixels");
        }
        engine.get();
    }

    private TessBaseAPI start() {
        TessBaseAPI api = new TessBaseAPI();
        int rc;
        try {
            rc = api.Init(settings.tessdata().toString(), settings.language(), tesseract.OEM_LSTM_ONLY);
        } catch (RuntimeException | LinkageError e) {
            throw new OcrUnavailableException("Tesseract could not start: " + e, e);
        }
        if (rc != 0) {
            api.close();
            throw new OcrUnavailableException("Tesseract could not load language '" + settings.language() + "' from " + settings.tessdata());
        }
        api.SetPageSegMode(tesseract.PSM_SPARSE_TEXT);
        api.SetVariable("debug_file", "/dev/null");
        engines.add(api);
        return api;
    }

    public OcrSettings settings() { return settings; }

    /**
     * Words read on every frame of an image with up to {@code maxFrames} frames; on a longer one, on
     * {@code maxFrames} frames spread evenly from the first to the last ({@link #framesToRead}). All confidences:
     * filtering is {@link PixelPolicy#verify}'s job. Hits carry the 0-based frame index of the image.
     */
    public List<OcrHit> read(AttributeList full, int maxFrames) throws UnsupportedPixelsException {
        int[] pick = framesToRead(PixelLayout.of(full).frames(), Math.max(1, maxFrames));
        Selection selection = uncompressed(full, pick);
        AttributeList pixels = selection.pixels();
        PixelLayout l = PixelLayout.of(pixels);
        List<OcrHit> hits = new ArrayList<>();
        for (int k = 0; k < pick.length; k++) {
            int f = pick[k];
            byte[] grey = grey(pixels, l, selection.onlyPicked() ? k : f);
            hits.addAll(recognise(grey, l.columns(), l.rows(), f, settings.thresholding(), 0, 0, 0));
        }
        // decoded frames of a long compressed cine are a selection: read overlays (never embedded in compressed
        // pixels, which the standard forbids; bits() refuses them) from the data set itself
        hits.addAll(readOverlays(selection.onlyPicked() ? full : pixels, Math.max(1, maxFrames)));
        return hits;
    }

    /**
     * Words in the overlay planes ({@link OverlayPlanes}) with content: each plane frame is read on its own (set bits
     * black on white; long multi-frame overlays sampled like cines), words mapped to image coordinates and frames.
     * Empty frames cost nothing.
     */
    private List<OcrHit> readOverlays(AttributeList list, int maxFrames) throws UnsupportedPixelsException {
        List<OcrHit> hits = new ArrayList<>();
        for (OverlayPlanes.Plane p : OverlayPlanes.of(list)) {
            OverlayPlanes.Bits bits = OverlayPlanes.bits(list, p);
            for (int k : framesToRead(p.frames(), maxFrames)) {
                if (!bits.anySet(k)) continue;
                byte[] grey = new byte[p.rows() * p.columns()];
                for (int r = 0, i = 0; r < p.rows(); r++) {
                    for (int c = 0; c < p.columns(); c++, i++) grey[i] = bits.get(k, r, c) ? 0 : (byte) 255;
                }
                // a bitmap needs one thresholding pass
                hits.addAll(recognise(grey, p.columns(), p.rows(), p.imageFrames(k, 1)[0], settings.thresholding().subList(0, 1),
                    p.group(), p.imageX(), p.imageY()));
            }
        }
        return hits;
    }

    /** One 8-bit grey picture through every thresholding pass; boxes shifted by (dx, dy) into image coordinates. */
    private List<OcrHit> recognise(byte[] grey, int columns, int rows, int frame, List<String> methods, int overlay, int dx, int dy)
            throws UnsupportedPixelsException {
        TessBaseAPI api = engine.get();
        int scale = columns < 640 ? 2 : 1;
        int w = columns * scale, h = rows * scale;
        byte[] picture = scale > 1 ? upscale(grey, columns, rows, scale) : grey;
        byte[] local = null, localLight = null;
        List<OcrHit> frameHits = new ArrayList<>();
        for (String segmentation : settings.segmentation()) for (String method : methods) {
            byte[] input = picture;
            if (method.equals("local")) {
                if (local == null) {
                    local = localContrast(grey, columns, rows, false);
                    if (scale > 1) local = upscale(local, columns, rows, scale);
                }
                input = local;
            } else if (method.equals("local-light")) {
                if (localLight == null) {
                    localLight = localContrast(grey, columns, rows, true);
                    if (scale > 1) localLight = upscale(localLight, columns, rows, scale);
                }
                input = localLight;
            }
            api.SetPageSegMode(OcrSettings.SEGMENTATION.get(segmentation));
            api.SetImage(input, w, h, 1, w); // fresh image per pass, so no cached binarisation is reused
            api.SetSourceResolution(70 * scale);
            api.SetVariable("thresholding_method", Integer.toString(OcrSettings.THRESHOLDING.get(method)));
            if (api.Recognize(null) != 0) throw new UnsupportedPixelsException("OCR failed on frame " + frame);
            for (OcrHit hit : words(api, frame, scale)) {
                OcrHit placed = new OcrHit(hit.frame(), hit.text(), hit.confidence(),
                    new Box(hit.box().x() + dx, hit.box().y() + dy, hit.box().width(), hit.box().height()), overlay);
                // the same word found by an earlier pass is kept once
                boolean seen = frameHits.stream().anyMatch(o -> o.text().equals(placed.text()) && o.box().intersects(placed.box()));
                if (!seen) frameHits.add(placed);
            }
        }
        api.Clear();
        return frameHits;
    }

    /**
     * The frames OCR reads (0-based): all of them when there are at most {@code max}; otherwise {@code max} frames
     * evenly spaced, always including the first and the last (burned-in text in a cine is usually on every frame,
     * and a frame with text of its own, such as a final summary frame, is most often the first or the last).
     */
    static int[] framesToRead(int total, int max) {
        if (total <= max) {
            int[] all = new int[total];
            for (int i = 0; i < total; i++) all[i] = i;
            return all;
        }
        if (max == 1) return new int[] {0};
        int[] out = new int[max];
        for (int i = 0; i < max; i++) out[i] = (int) Math.round(i * (total - 1) / (double) (max - 1));
        return out;
    }

    /** Decoded pixels; {@code onlyPicked}: they hold just the picked frames, in order (compressed input). */
    private record Selection(AttributeList pixels, boolean onlyPicked) {}

    private static List<OcrHit> words(TessBaseAPI api, int frame, int scale) {
        List<OcrHit> out = new ArrayList<>();
        ResultIterator it = api.GetIterator();
        if (it == null) return out;
        int level = tesseract.RIL_WORD;
        int[] x0 = new int[1], y0 = new int[1], x1 = new int[1], y1 = new int[1];
        do {
            BytePointer t = it.GetUTF8Text(level);
            if (t == null) continue;
            String text = t.getString(StandardCharsets.UTF_8).trim();
            t.deallocate();
            if (text.isEmpty() || !it.BoundingBox(level, x0, y0, x1, y1)) continue;
            int bx = x0[0] / scale, by = y0[0] / scale;
            int bw = Math.max(1, (x1[0] - x0[0] + scale - 1) / scale), bh = Math.max(1, (y1[0] - y0[0] + scale - 1) / scale);
            out.add(new OcrHit(frame, text, it.Confidence(level), new Box(bx, by, bw, bh)));
        } while (it.Next(level));
        it.deallocate();
        return out;
    }

    /** Releases the engines of all threads; the checker is unusable afterwards. */
    @Override
    public void close() {
        synchronized (engines) {
            for (TessBaseAPI api : engines) {
                api.End();
                api.close();
            }
            engines.clear();
        }
    }

    // ------------------------------------------------------------------------------------------------- rendering

    /** The dataset with uncompressed pixels; of compressed pixel data only the picked frames are decoded. */
    private static Selection uncompressed(AttributeList full, int[] pick) throws UnsupportedPixelsException {
        Attribute pd = full.get(TagFromName.PixelData);
        if (pd == null) throw new UnsupportedPixelsException("no Pixel Data");
        if (pd instanceof OtherByteAttribute || pd instanceof OtherWordAttribute) return new Selection(full, false);
        String ts = PixelRedactor.transferSyntax(full);
        AttributeList source = full;
        boolean onlyPicked = false;
        if (pd instanceof OtherByteAttributeMultipleCompressedFrames c && c.getNumberOfFrames() > pick.length) {
            byte[][] all = c.getFrames();
            byte[][] picked = new byte[pick.length][];
            for (int k = 0; k < pick.length; k++) picked[k] = all[pick[k]];
            source = new AttributeList();
            source.putAll(full);
            source.put(new OtherByteAttributeMultipleCompressedFrames(TagFromName.PixelData, picked));
            try {
                com.pixelmed.dicom.IntegerStringAttribute nf = new com.pixelmed.dicom.IntegerStringAttribute(TagFromName.NumberOfFrames);
                nf.addValue(pick.length);
                source.put(nf);
            } catch (DicomException e) {
                throw new UnsupportedPixelsException("cannot select frames", e);
            }
            onlyPicked = true;
        }
        AttributeList decoded = PixelRedactor.decode(source, ts);
        try {
            com.pixelmed.dicom.CodeStringAttribute pi = new com.pixelmed.dicom.CodeStringAttribute(TagFromName.PhotometricInterpretation);
            pi.addValue(decoded.getDecompressedPhotometricInterpretation());
            decoded.put(pi);
        } catch (DicomException e) {
            throw new UnsupportedPixelsException("cannot describe decoded pixels", e);
        }
        return new Selection(decoded, onlyPicked);
    }

    /** 8-bit grey of one frame, dark text on light background. */
    static byte[] grey(AttributeList list, PixelLayout l, int frame) throws UnsupportedPixelsException {
        UncompressedBlanker.Samples s = UncompressedBlanker.samples(list.get(TagFromName.PixelData), l);
        int n = l.rows() * l.columns();
        long base = l.samplesPerFrame() * frame;
        if (s.length() < base + l.samplesPerFrame()) throw new UnsupportedPixelsException("Pixel Data shorter than its frames");
        int[] v = new int[n];
        String pi = l.photometric();
        if (pi.equals("YBR_FULL_422")) {
            for (int p = 0; p < n; p++) v[p] = s.get(base + (p / 2) * 4L + (p & 1)); // Y1 Y2 Cb Cr
        } else if (l.samplesPerPixel() == 3) {
            boolean ybr = pi.startsWith("YBR");
            for (int p = 0; p < n; p++) {
                long i0 = l.planarConfiguration() == 1 ? base + p : base + p * 3L;
                long step = l.planarConfiguration() == 1 ? n : 1;
                int a = s.get(i0), b = s.get(i0 + step), c = s.get(i0 + 2 * step);
                v[p] = ybr ? a : (299 * a + 587 * b + 114 * c) / 1000;
            }
        } else if (pi.equals("PALETTE COLOR")) {
            PaletteTables tables = PaletteTables.of(list, l);
            for (int p = 0; p < n; p++) v[p] = tables == null ? s.get(base + p) : tables.luminanceOf(s.get(base + p));
        } else {
            // bits of overlays embedded in the samples are not pixel values (readOverlays reads them as overlays)
            int overlayBits = embeddedOverlayBits(list), shift = 32 - l.bitsStored();
            for (int p = 0; p < n; p++) {
                int x = s.get(base + p);
                if (overlayBits != 0) {
                    x &= ~overlayBits;
                    if (l.signed()) x = (x << shift) >> shift; // the value is BitsStored wide
                }
                v[p] = x;
            }
        }
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int x : v) { min = Math.min(min, x); max = Math.max(max, x); }
        double range = Math.max(1, max - min);
        byte[] out = new byte[n];
        long sum = 0;
        boolean invert = pi.equals("MONOCHROME1");
        for (int p = 0; p < n; p++) {
            int g = (int) Math.round((v[p] - min) * 255 / range);
            if (invert) g = 255 - g;
            out[p] = (byte) g;
            sum += g;
        }
        if (sum / n < 128) { // mostly dark: make text dark on light, as Tesseract expects
            for (int p = 0; p < n; p++) out[p] = (byte) (255 - (out[p] & 0xff));
        }
        return out;
    }

    private static int embeddedOverlayBits(AttributeList list) {
        int bits = 0;
        for (OverlayPlanes.Plane p : OverlayPlanes.of(list)) if (p.embedded()) bits |= 1 << p.bitPosition();
        return bits;
    }

    /** Half-size of the window whose mean is a pixel's local background (31×31: wider than 32 px text's strokes). */
    static final int LOCAL_RADIUS = 15;
    /** A pixel this far (of 255) from its local background is ink (OcrRecallTest: 55–90 give the same recall; 40 less). */
    static final int LOCAL_INK = 70;

    /**
     * Local-contrast binarisation: black where a pixel is at least {@link #LOCAL_INK} darker ({@code light}: lighter)
     * than the mean of its 31×31 neighbourhood, white elsewhere. Text drawn over anatomy, gradients or mid-grey
     * panels (where one global threshold puts text and background on the same side) comes out as dark strokes on
     * white; flat regions of any level come out white. One polarity per pass: marking both would also mark the
     * background around the strokes (pulled the other way by the text in the mean).
     */
    static byte[] localContrast(byte[] grey, int w, int h, boolean light) {
        long[] integral = new long[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            long row = 0;
            for (int x = 0; x < w; x++) {
                row += grey[y * w + x] & 0xff;
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
            }
        }
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - LOCAL_RADIUS), y1 = Math.min(h, y + LOCAL_RADIUS + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - LOCAL_RADIUS), x1 = Math.min(w, x + LOCAL_RADIUS + 1);
                long sum = integral[y1 * (w + 1) + x1] - integral[y0 * (w + 1) + x1] - integral[y1 * (w + 1) + x0] + integral[y0 * (w + 1) + x0];
                int mean = (int) (sum / ((long) (x1 - x0) * (y1 - y0)));
                int d = (grey[y * w + x] & 0xff) - mean;
                out[y * w + x] = (light ? d >= LOCAL_INK : -d >= LOCAL_INK) ? 0 : (byte) 255;
            }
        }
        return out;
    }

    private static byte[] upscale(byte[] grey, int w, int h, int scale) {
        BufferedImage src = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        src.getRaster().setDataElements(0, 0, w, h, grey);
        BufferedImage dst = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_BYTE_GRAY);
        var g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w * scale, h * scale, null);
        g.dispose();
        byte[] out = new byte[w * scale * h * scale];
        dst.getRaster().getDataElements(0, 0, w * scale, h * scale, out);
        return out;
    }
}

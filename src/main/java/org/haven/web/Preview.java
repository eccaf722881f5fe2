package org.haven.web;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.display.SourceImage;

/**
 * A PNG of the first frame, windowed (Window Center/Width after rescale when present, else the frame's min..max), with
 * boxes from the sidecar drawn over it: {@code blanked} in blue, {@code suspicious} and findings with a box in red.
 */
public final class Preview {
    private Preview() {}

    public static byte[] png(Path dicom, JsonNode sidecar) throws Exception {
        AttributeList list = new AttributeList();
        list.read(dicom.toString());
        BufferedImage out = frame(list, 0);
        Graphics2D g = out.createGraphics();
        g.setStroke(new BasicStroke(Math.max(2f, out.getWidth() / 200f)));
        draw(g, sidecar.path("blanked"), new Color(40, 120, 255));
        draw(g, sidecar.path("suspicious"), Color.RED);
        for (JsonNode f : Review.findings(sidecar)) {
            if (f.has("box")) drawBox(g, f.get("box"), Color.RED);
            else if (f.has("width")) drawBox(g, f, Color.RED);
        }
        g.dispose();
        return png(out);
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** Frame {@code index} (0-based) of a data set read with its pixel data, windowed to 8-bit RGB, no overlays. */
    static BufferedImage frame(AttributeList list, int index) throws Exception {
        if (list.get(TagFromName.PixelData) == null) throw new WebException(404, "no pixel data");
        BufferedImage src = new SourceImage(list).getBufferedImage(index);
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Raster r = src.getRaster();
        if (r.getNumBands() == 1) {
            double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0);
            double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0);
            double center = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowCenter, Double.NaN);
            double width = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowWidth, Double.NaN);
            boolean inverse = "MONOCHROME1".equals(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PhotometricInterpretation));
            int w = r.getWidth(), h = r.getHeight();
            double[] px = r.getSamples(0, 0, w, h, 0, (double[]) null);
            double lo, hi;
            if (!Double.isNaN(center) && !Double.isNaN(width) && width > 0) {
                lo = center - width / 2;
                hi = center + width / 2;
            } else {
                lo = Double.MAX_VALUE;
                hi = -Double.MAX_VALUE;
                for (double v : px) {
                    double m = v * slope + intercept;
                    lo = Math.min(lo, m);
                    hi = Math.max(hi, m);
                }
            }
            double range = Math.max(1e-9, hi - lo);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double m = px[y * w + x] * slope + intercept;
                    int g = (int) Math.round(Math.max(0, Math.min(1, (m - lo) / range)) * 255);
                    if (inverse) g = 255 - g;
                    out.setRGB(x, y, (g << 16) | (g << 8) | g);
                }
            }
        } else {
            Graphics2D g = out.createGraphics();
            g.drawImage(src, 0, 0, null);
            g.dispose();
        }
        return out;
    }

    private static void draw(Graphics2D g, JsonNode boxes, Color color) {
        for (JsonNode b : boxes) drawBox(g, b, color);
    }

    private static void drawBox(Graphics2D g, JsonNode b, Color color) {
        g.setColor(color);
        g.drawRect(b.path("x").asInt(), b.path("y").asInt(), b.path("width").asInt(), b.path("height").asInt());
    }

    static byte[] placeholder(String message) throws IOException {
        BufferedImage img = new BufferedImage(320, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, 320, 40);
        g.setColor(Color.WHITE);
        g.drawString(message, 8, 24);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }
}

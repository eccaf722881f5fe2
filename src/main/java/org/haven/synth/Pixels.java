package org.haven.synth;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small synthetic images with some structure (body ellipse, organs as circles, gradient, noise) and, for
 * ultrasound and screenshots, text burned into the pixels with java.awt at known rectangles.
 */
final class Pixels {
    private Pixels() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** A 16-bit MONOCHROME2 cross-sectional or projection image (values 0..4095, 12 bits stored). */
    static short[] grey16(Random r, int rows, int cols, boolean projection) {
        short[] px = new short[rows * cols];
        double cx = cols / 2.0, cy = rows / 2.0;
        int n = 2 + r.nextInt(3);
        double[][] blobs = new double[n][4];
        for (double[] b : blobs) {
            b[0] = cx + (r.nextDouble() - 0.5) * cols * 0.4;
            b[1] = cy + (r.nextDouble() - 0.5) * rows * 0.4;
            b[2] = (0.06 + r.nextDouble() * 0.1) * Math.min(rows, cols);
            b[3] = 300 + r.nextInt(1500);
        }
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                double v;
                double ex = (x - cx) / (cols * 0.42), ey = (y - cy) / (rows * 0.36);
                if (projection) {
                    v = 3000 - 1800 * Math.exp(-(ex * ex + ey * ey) * 2) + 400.0 * y / rows;
                } else {
                    v = ex * ex + ey * ey <= 1 ? 1000 + 200.0 * x / cols : 24;
                }
                for (double[] b : blobs) {
                    double dx = x - b[0], dy = y - b[1];
                    if (dx * dx + dy * dy <= b[2] * b[2]) v += b[3];
                }
                v += r.nextInt(40);
                px[y * cols + x] = (short) Math.max(0, Math.min(4095, (int) v));
            }
        }
        return px;
    }

    /** An 8-bit image to draw on: TYPE_BYTE_GRAY or TYPE_INT_RGB, with an ultrasound fan or a screenshot look. */
    static BufferedImage canvas(Random r, int rows, int cols, boolean rgb, boolean ultrasound, int topBand) {
        BufferedImage img = new BufferedImage(cols, rows, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, cols, rows);
        if (ultrasound) {
            // a fan of speckle below the text band, brighter with structure
            double apexX = cols / 2.0, apexY = topBand;
            for (int y = topBand; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    double dx = x - apexX, dy = y - apexY, d = Math.hypot(dx, dy);
                    double angle = Math.atan2(dx, dy);
                    if (Math.abs(angle) < 0.7 && d < rows - topBand - 4) {
                        int v = 40 + r.nextInt(90) + (int) (60 * Math.sin(d / 9.0)) + (d > 60 && d < 90 ? 60 : 0);
                        v = Math.max(0, Math.min(230, v));
                        img.setRGB(x, y, new Color(v, v, v).getRGB());
                    }
                }
            }
            if (rgb) { // a colour-doppler box
                g.setColor(new Color(200, 30, 30));
                g.fillRect(cols / 2 - 10, topBand + 50, 14, 10);
                g.setColor(new Color(30, 60, 210));
                g.fillRect(cols / 2 + 4, topBand + 50, 14, 10);
            }
        } else {
            // screenshot: UI grey with a viewport between a black title bar and a black status bar
            g.setColor(new Color(70, 70, 78));
            g.fillRect(0, topBand, cols, rows - topBand - STATUS_BAR);
            int vx = cols / 6, vy = topBand + 8, vw = cols * 2 / 3, vh = rows - topBand - STATUS_BAR - 16;
            for (int y = 0; y < vh; y++) {
                int v = 20 + 200 * y / Math.max(1, vh);
                g.setColor(new Color(v, v, v));
                g.drawLine(vx, vy + y, vx + vw - 1, vy + y);
            }
            g.setColor(Color.DARK_GRAY);
            int d = Math.min(vw, vh) / 3;
            g.fillOval(vx + vw / 2 - d / 2, vy + vh / 2 - d / 2, d, d);
        }
        g.dispose();
        return img;
    }

    /** Height of the black status bar at the bottom of screenshots. */
    static final int STATUS_BAR = 24;

    private static Font font;

    static synchronized Font font() {
        if (font == null) {
            Font f = new Font("DejaVu Sans Mono", Font.PLAIN, 14);
            if (!"DejaVu Sans Mono".equals(f.getFamily())) f = new Font(Font.MONOSPACED, Font.PLAIN, 14);
            font = f;
        }
        return font;
    }

    /**
     * Draws lines of text at (x, baseline) positions and returns the box of each (the text's bounds from the font
     * metrics, clipped to the image). Anti-aliasing is off so text pixels are exactly the text colour.
     */
    static List<int[]> burn(BufferedImage img, Color colour, List<String> lines, List<int[]> positions) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        g.setFont(font());
        g.setColor(colour);
        FontMetrics fm = g.getFontMetrics();
        List<int[]> boxes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int x = positions.get(i)[0], baseline = positions.get(i)[1];
            g.drawString(text, x, baseline);
            int bx = Math.max(0, x - 1), by = Math.max(0, baseline - fm.getAscent() - 1);
            int bw = Math.min(img.getWidth() - bx, fm.stringWidth(text) + 2);
            int bh = Math.min(img.getHeight() - by, fm.getAscent() + fm.getDescent() + 2);
            boxes.add(new int[] {bx, by, bw, bh});
        }
        g.dispose();
        return boxes;
    }

    static int textWidth(String text) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = scratch.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        int w = g.getFontMetrics(font()).stringWidth(text);
        g.dispose();
        return w;
    }

    /** Pixel bytes of an 8-bit image: one byte per pixel for grey, R,G,B interleaved for colour. */
    static byte[] bytes(BufferedImage img, boolean rgb) {
        int w = img.getWidth(), h = img.getHeight();
        byte[] out = new byte[w * h * (rgb ? 3 : 1)];
        if (!rgb) {
            img.getRaster().getDataElements(0, 0, w, h, out);
            return out;
        }
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }
}

package org.haven.pixel.proposal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.haven.pixel.Box;

/**
 * Finds the text bands a device burns in from the OCR word boxes of its held images of one size: words close to
 * each other (across all files) join one cluster; a cluster seen in enough files becomes a band to blank, padded a few
 * pixels. A word that only one file has (a stray label, an annotation a user typed once) stays out, and so does its
 * file from the count of files the proposal would release.
 */
public final class TextBands {

    private TextBands() {}

    /** Image size; boxes only make sense within one. */
    public record Geometry(int rows, int columns) {}

    /** The images grouped by size, largest group first. */
    public static Map<Geometry, List<HeldImage>> byGeometry(List<HeldImage> images) {
        Map<Geometry, List<HeldImage>> out = new LinkedHashMap<>();
        for (HeldImage i : images) out.computeIfAbsent(new Geometry(i.rows(), i.columns()), g -> new ArrayList<>()).add(i);
        List<Map.Entry<Geometry, List<HeldImage>>> sorted = new ArrayList<>(out.entrySet());
        sorted.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
        Map<Geometry, List<HeldImage>> result = new LinkedHashMap<>();
        for (Map.Entry<Geometry, List<HeldImage>> e : sorted) result.put(e.getKey(), e.getValue());
        return result;
    }

    /** The proposal for images that all have the same size. */
    public static Proposal propose(List<HeldImage> images, ProposalSettings s) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images");
        int rows = images.get(0).rows(), columns = images.get(0).columns();
        if (rows <= 0 || columns <= 0) throw new IllegalArgumentException("image size unknown");
        for (HeldImage i : images) {
            if (i.rows() != rows || i.columns() != columns) throw new IllegalArgumentException("images of different sizes: group them with byGeometry first");
        }
        List<Box> words = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int f = 0; f < images.size(); f++) {
            for (Box w : images.get(f).words()) {
                Box c = w.clip(columns, rows);
                if (c == null) continue;
                words.add(c);
                owner.add(f);
            }
        }
        int[] parent = new int[words.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        for (int i = 0; i < words.size(); i++) {
            for (int j = i + 1; j < words.size(); j++) {
                if (close(words.get(i), words.get(j), s.gap())) parent[find(parent, i)] = find(parent, j);
            }
        }
        Map<Integer, int[]> extent = new LinkedHashMap<>(); // root -> x0, y0, x1, y1
        Map<Integer, BitSet> filesOf = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            int r = find(parent, i);
            Box w = words.get(i);
            int[] e = extent.computeIfAbsent(r, k -> new int[] {w.x(), w.y(), w.right(), w.bottom()});
            e[0] = Math.min(e[0], w.x());
            e[1] = Math.min(e[1], w.y());
            e[2] = Math.max(e[2], w.right());
            e[3] = Math.max(e[3], w.bottom());
            filesOf.computeIfAbsent(r, k -> new BitSet()).set(owner.get(i));
        }
        double area = (double) rows * columns;
        int needed = Math.max(s.minFiles(), (int) Math.ceil(s.minShare() * images.size() - 1e-9));
        List<Proposal.Band> bands = new ArrayList<>();
        for (Map.Entry<Integer, int[]> e : extent.entrySet()) {
            int[] x = e.getValue();
            Box padded = new Box(x[0] - s.pad(), x[1] - s.pad(), x[2] - x[0] + 2 * s.pad(), x[3] - x[1] + 2 * s.pad()).clip(columns, rows);
            int files = filesOf.get(e.getKey()).cardinality();
            double share = padded.width() * (double) padded.height() / area;
            String rejected = null;
            if (files < needed) {
                rejected = "seen in " + files + " of " + images.size() + " file(s); a band needs " + needed;
            } else if (share > s.maxBandShare()) {
                // Text over most of the image is the image's content (a report, a form, a dose sheet), not a label a
                // device burns in at the edge: blanking it would release an empty picture, and one stray cluster that
                // chains words across the image would blank the anatomy. Such a device is a case for a reviewer.
                rejected = "covers " + percent(share) + " of the image (more than " + percent(s.maxBandShare()) + ")";
            }
            bands.add(new Proposal.Band(padded, files, rejected));
        }
        bands.sort(Comparator.comparingInt(Proposal.Band::files).reversed()
            .thenComparingInt(b -> b.box().y()).thenComparingInt(b -> b.box().x()));
        List<Box> boxes = bands.stream().filter(Proposal.Band::proposed).map(Proposal.Band::box).toList();
        double total = unionArea(boxes) / area;
        if (total > s.maxTotalShare()) {
            // the same reason as for one band: together they would blank most of the image
            String why = "the bands together cover " + percent(total) + " of the image (more than " + percent(s.maxTotalShare()) + ")";
            bands.replaceAll(b -> b.proposed() ? new Proposal.Band(b.box(), b.files(), why) : b);
            boxes = List.of();
        }
        List<String> releasable = new ArrayList<>();
        for (HeldImage i : images) {
            boolean any = false, all = true;
            for (Box w : i.words()) {
                Box c = w.clip(columns, rows);
                if (c == null) continue;
                any = true;
                if (!covered(c, boxes)) all = false;
            }
            if (any && all) releasable.add(i.fileId()); // no words known: nothing says the proposal would let it go
        }
        return new Proposal(rows, columns, images.size(), boxes, bands, releasable);
    }

    /** True when {@code word} lies inside one of {@code boxes}. */
    public static boolean covered(Box word, List<Box> boxes) {
        for (Box b : boxes) if (b.contains(word)) return true;
        return false;
    }

    /**
     * Two words belong together when their gap is at most {@code gap} both ways, or when they sit on one line (their
     * vertical extents overlap by half the smaller height) with at most one line height between them.
     */
    static boolean close(Box a, Box b, int gap) {
        int hGap = Math.max(a.x(), b.x()) - Math.min(a.right(), b.right());
        int vGap = Math.max(a.y(), b.y()) - Math.min(a.bottom(), b.bottom());
        if (hGap <= gap && vGap <= gap) return true;
        int overlap = -vGap;
        int line = Math.max(a.height(), b.height());
        return overlap * 2 >= Math.min(a.height(), b.height()) && hGap <= Math.max(gap, line);
    }

    /** Area covered by the boxes, overlaps counted once. */
    static double unionArea(List<Box> boxes) {
        if (boxes.isEmpty()) return 0;
        TreeSet<Integer> xs = new TreeSet<>(), ys = new TreeSet<>();
        for (Box b : boxes) {
            xs.add(b.x());
            xs.add(b.right());
            ys.add(b.y());
            ys.add(b.bottom());
        }
        Integer[] x = xs.toArray(new Integer[0]), y = ys.toArray(new Integer[0]);
        double total = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            for (int j = 0; j + 1 < y.length; j++) {
                Box cell = new Box(x[i], y[j], x[i + 1] - x[i], y[j + 1] - y[j]);
                for (Box b : boxes) {
                    if (b.contains(cell)) {
                        total += (double) cell.width() * cell.height();
                        break;
                    }
                }
            }
        }
        return total;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static String percent(double share) { return Math.round(share * 100) + " %"; }
}

package org.haven.pixel;

/** A rectangle in pixel coordinates: x to the right, y down, from the top-left pixel (0,0); width and height &gt; 0. */
public record Box(int x, int y, int width, int height) {

    public Box {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("box must have positive width and height");
    }

    /** Exclusive right edge. */
    public int right() { return x + width; }

    /** Exclusive bottom edge. */
    public int bottom() { return y + height; }

    public boolean intersects(Box o) {
        return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
    }

    /** True when {@code o} lies completely inside this box. */
    public boolean contains(Box o) {
        return o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom();
    }

    /** The part of this box inside a columns × rows image, or null when it lies completely outside. */
    public Box clip(int columns, int rows) {
        int x0 = Math.max(0, x), y0 = Math.max(0, y);
        int x1 = Math.min(columns, right()), y1 = Math.min(rows, bottom());
        return x1 > x0 && y1 > y0 ? new Box(x0, y0, x1 - x0, y1 - y0) : null;
    }

    @Override
    public String toString() { return "(" + x + "," + y + " " + width + "x" + height + ")"; }
}

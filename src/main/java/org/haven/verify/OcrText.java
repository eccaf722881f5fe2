package org.haven.verify;

/** Text that OCR found burned into a frame, with its bounding box in pixels; scanned like an attribute value. */
public record OcrText(int frame, String text, int x, int y, int width, int height) {

    /** The attribute path findings in this text carry: {@code OCR[frame=1,x=10,y=20,w=200,h=30]}. */
    public String path() {
        return "OCR[frame=" + frame + ",x=" + x + ",y=" + y + ",w=" + width + ",h=" + height + "]";
    }
}

package org.haven.pixel;

/** OCR cannot run: model file missing or Tesseract failed to start. Thrown at start-up, not per image. */
public class OcrUnavailableException extends RuntimeException {
    public OcrUnavailableException(String message) { super(message); }

    public OcrUnavailableException(String message, Throwable cause) { super(message, cause); }
}

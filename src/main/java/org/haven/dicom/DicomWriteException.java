package org.haven.dicom;

/**
 * PixelMed refused to write a data set: a property of the file, not of the machine, so retrying will not help
 * (unlike an IOException). The routes quarantine it as internal-error after a few deliveries.
 */
public class DicomWriteException extends RuntimeException {
    public DicomWriteException(String message, Throwable cause) { super(message, cause); }
}

package org.haven.verify;

/**
 * One suspicious value. {@code attributePath} names where it is: keywords joined by dots, sequence items numbered
 * from 1 ({@code ContentSequence[2].TextValue}), private or unknown tags as {@code (0009,1010)}, OCR text as
 * {@code OCR[frame=…]}. {@code offset} is the character offset of {@code matchedText} in the value (multiple values
 * joined by backslash, as a DICOM dump shows them).
 * <p>{@code matchedText} is identifying data for the reviewer's report: never log it.
 */
public record Finding(String classification, String ruleId, String attributePath, int offset, String matchedText) {
}

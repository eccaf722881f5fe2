package org.haven.pixel;

import com.pixelmed.dicom.AttributeTag;

/**
 * A header value a pixel rule condition needs cannot be read. The rule can then neither match nor be ruled out, so
 * {@link PixelPolicy} holds the file as {@code pixels-unverified} instead of treating it as "no match".
 */
public final class UnreadableAttributeException extends RuntimeException {
    public UnreadableAttributeException(AttributeTag tag, Throwable cause) {
        super(String.format("attribute (%04X,%04X) cannot be read", tag.getGroup(), tag.getElement()), cause);
    }
}

package org.haven.pixel;

import java.util.Optional;

/**
 * What the pixel stage does with one instance, from {@link PixelPolicy#decide}.
 *
 * @param action     PASS (leave pixels), REDACT (apply {@link #rule()}), QUARANTINE ({@link #quarantineReason()})
 * @param rule       the matching device rule, if any
 * @param risk       header risk assessment (with a rule's {@code risk: high} applied)
 * @param ocrRequired send to the OCR stage after redaction
 * @param quarantineReason {@code pixels-unverified} for QUARANTINE, else null
 */
public record PixelDecision(Action action, Optional<PixelRule> rule, Risk risk, boolean ocrRequired, String quarantineReason) {

    public enum Action { PASS, REDACT, QUARANTINE }

    public static final String PIXELS_UNVERIFIED = UnsupportedPixelsException.PIXELS_UNVERIFIED;

    public boolean quarantine() { return action == Action.QUARANTINE; }
}

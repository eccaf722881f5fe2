package org.haven.pixel;

import java.util.Optional;

/**
 * Result of {@link PixelPolicy#apply}: the decision, and what happened to the pixels.
 *
 * @param decision         what the policy decided from the header
 * @param redaction        what was blanked, when the decision was REDACT and it succeeded
 * @param quarantineReason {@code pixels-unverified} or {@code pixels-unsupported} when the instance must be
 *                         quarantined, else null
 * @param detail           technical detail for the quarantine record (no pixel or header text), else null
 */
public record PixelOutcome(PixelDecision decision, Optional<RedactionResult> redaction, String quarantineReason, String detail) {

    public boolean quarantined() { return quarantineReason != null; }

    /** Send to the OCR stage (redacted, at risk). */
    public boolean ocrRequired() { return !quarantined() && decision.ocrRequired(); }

    /** Id of the rule applied, for the OCR stage message ({@link PixelRules#byId}). */
    public Optional<String> ruleId() { return decision.rule().map(PixelRule::id); }
}

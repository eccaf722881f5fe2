package org.haven.pixel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.pixelmed.dicom.AttributeList;

/**
 * The pixel-stage decision in one place, so routes stay one-liners:
 * <pre>
 *   header at risk, no rule      → QUARANTINE pixels-unverified (fail closed)
 *   a rule matches               → REDACT with it; OCR required when at risk (or the rule says risk: high)
 *   not at risk, no rule         → PASS, no OCR
 * </pre>
 * and, after the OCR stage, {@link #verify}: any word read outside the rule's allowed regions → quarantine
 * {@code pixel-text}.
 */
public final class PixelPolicy {

    private final Supplier<PixelRules> rules;

    public PixelPolicy(PixelRules rules) { this(() -> rules); }

    /** Rules that may be reloaded while running ({@code org.haven.config.LiveConfig}): each call sees the version in force. */
    public PixelPolicy(Supplier<PixelRules> rules) { this.rules = rules; }

    public PixelRules rules() { return rules.get(); }

    /**
     * Pixel stage in one call: decide from the header and, when a rule applies, blank in place. Unsupported pixel
     * data becomes a quarantine outcome, not an exception.
     */
    public PixelOutcome apply(AttributeList full, PixelRedactor redactor) {
        PixelDecision d = decide(full);
        switch (d.action()) {
            case QUARANTINE:
                return new PixelOutcome(d, Optional.empty(), d.quarantineReason(), d.risk().reason() + "; no pixel rule matches");
            case PASS:
                return new PixelOutcome(d, Optional.empty(), null, null);
            default:
                try {
                    return new PixelOutcome(d, Optional.of(redactor.redact(full, d.rule().orElseThrow())), null, null);
                } catch (UnsupportedPixelsException e) {
                    return new PixelOutcome(d, Optional.empty(), e.reason(), "rule " + d.rule().get().id() + ": " + e.getMessage());
                }
        }
    }

    /**
     * OCR stage in one call: read the output pixels and judge the words against the rule's allowed regions.
     * @param ruleId rule applied by the pixel stage ({@link PixelOutcome#ruleId()}), or null
     */
    public OcrVerdict check(AttributeList full, String ruleId, OcrChecker ocr) throws UnsupportedPixelsException {
        PixelRule rule = ruleId == null ? null : rules().byId(ruleId).orElse(null);
        return verify(full, rule, ocr.read(full, rules().ocr().maxFrames()));
    }

    /**
     * The decision when the device registry names the pixel rule for a device: that rule, whatever
     * {@link PixelRules#match} would pick; an unknown id holds the file (fail closed).
     */
    public PixelDecision decideWith(AttributeList header, String ruleId) { return decideWith(header, ruleId, true); }

    /** @param overlayDataReleased the file's profile keeps OverlayData (see {@link BurnedInRisk#assess(AttributeList, boolean)}) */
    public PixelDecision decideWith(AttributeList header, String ruleId, boolean overlayDataReleased) {
        Risk risk = BurnedInRisk.assess(header, overlayDataReleased);
        Optional<PixelRule> rule = rules().byId(ruleId);
        if (rule.isEmpty()) {
            return new PixelDecision(PixelDecision.Action.QUARANTINE, rule,
                Risk.atRisk("device names pixel rule '" + ruleId + "' which is not configured"), false, PixelDecision.PIXELS_UNVERIFIED);
        }
        if (rule.get().highRisk() && !risk.atRisk()) risk = Risk.atRisk("rule " + ruleId + " declares risk: high");
        return new PixelDecision(PixelDecision.Action.REDACT, rule, risk, risk.atRisk(), null);
    }

    /** The decision with overlay data counted as released (fail closed when the profile is not known). */
    public PixelDecision decide(AttributeList header) { return decide(header, true); }

    /** @param overlayDataReleased the file's profile keeps OverlayData (see {@link BurnedInRisk#assess(AttributeList, boolean)}) */
    public PixelDecision decide(AttributeList header, boolean overlayDataReleased) {
        Risk risk = BurnedInRisk.assess(header, overlayDataReleased);
        Optional<PixelRule> rule;
        try {
            PixelRules current = rules();
            rule = BurnedInRisk.imageAssessedOnce(header, () -> current.match(header));
        } catch (UnreadableAttributeException e) {
            // a condition could not be evaluated: which rule applies is unknown, so the pixels are unverified
            return new PixelDecision(PixelDecision.Action.QUARANTINE, Optional.empty(),
                Risk.atRisk("pixel rules cannot be evaluated: " + e.getMessage()), false, PixelDecision.PIXELS_UNVERIFIED);
        }
        if (rule.isPresent() && rule.get().highRisk() && !risk.atRisk()) {
            risk = Risk.atRisk("rule " + rule.get().id() + " declares risk: high");
        }
        if (rule.isEmpty()) {
            return risk.atRisk()
                    ? new PixelDecision(PixelDecision.Action.QUARANTINE, rule, risk, false, PixelDecision.PIXELS_UNVERIFIED)
                    : new PixelDecision(PixelDecision.Action.PASS, rule, risk, false, null);
        }
        return new PixelDecision(PixelDecision.Action.REDACT, rule, risk, risk.atRisk(), null);
    }

    /**
     * Judges OCR hits on the redacted pixels. Hits below the configured confidence or with fewer letters/digits than
     * {@code min-characters} are ignored; a hit is acceptable when it lies completely inside one of the rule's
     * {@code allow-text} rectangles (or inside an ultrasound region when the rule says {@code allow-text: ultrasound-regions}).
     *
     * @param header the output header (for ultrasound regions); may be null when the rule needs none
     * @param rule   the rule applied, or null when none was (every hit then counts)
     */
    public OcrVerdict verify(AttributeList header, PixelRule rule, List<OcrHit> hits) {
        OcrSettings s = rules().ocr();
        List<Box> allowed = new ArrayList<>();
        if (rule != null) {
            allowed.addAll(rule.allowText());
            if (rule.allowTextInUltrasoundRegions() && header != null) allowed.addAll(PixelRedactor.ultrasoundRegions(header));
        }
        List<OcrHit> bad = new ArrayList<>();
        for (OcrHit h : hits) {
            if (h.confidence() < s.minConfidence() || significant(h.text()) < s.minCharacters()) continue;
            if (allowed.stream().anyMatch(a -> a.contains(h.box()))) continue;
            bad.add(h);
        }
        return bad.isEmpty() ? OcrVerdict.passed() : OcrVerdict.quarantine(bad);
    }

    static int significant(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) if (Character.isLetterOrDigit(text.charAt(i))) n++;
        return n;
    }
}

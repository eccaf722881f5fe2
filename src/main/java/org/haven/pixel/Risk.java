package org.haven.pixel;

/**
 * Outcome of {@link BurnedInRisk#assess}: whether the pixels may carry burned-in identifiers, and why (a technical
 * reason naming attributes and values such as modality codes, never patient data).
 */
public record Risk(Level level, String reason) {

    public enum Level { AT_RISK, LOW }

    public static Risk low(String reason) { return new Risk(Level.LOW, reason); }

    public static Risk atRisk(String reason) { return new Risk(Level.AT_RISK, reason); }

    public boolean atRisk() { return level == Level.AT_RISK; }
}

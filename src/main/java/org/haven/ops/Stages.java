package org.haven.ops;

import java.util.List;
import java.util.Map;

import org.haven.store.OperationsRecords;

/**
 * Where a file in flight is, read from its audit trail: the last step it completed and the stage (queue) it waits
 * for. Events that are not steps of the journey (duplicate arrivals, reviewers' rule edits) are skipped.
 */
public final class Stages {
    /** Entry stage: every route into the pipeline (ingest, replay, review release, resubmit) goes through it. */
    public static final String CLASSIFY_QUEUE = "haven.classify";

    /** Completed step → the stage that takes the file next (the queue it waits in). */
    private static final Map<String, String> NEXT = Map.ofEntries(
        Map.entry("received", "classify"),
        Map.entry("replayed", "classify"),
        Map.entry("resubmitted", "classify"),
        Map.entry("review-release", "classify"),
        Map.entry("review-reprocess", "classify"),
        Map.entry("classified", "deidentify"),
        Map.entry("pixels-blanked", "deidentify"),
        Map.entry("deidentified", "ocr or verify"),
        Map.entry("ocr-checked", "verify"),
        Map.entry("verified", "release"));

    /**
     * The queue whose message carries the file to that stage: classify's consumer takes it on through de-identify,
     * verify and release in one transaction (routes/classify.yaml), OCR's consumer through verify and release.
     * Events of the steps in between (its classification too) are written with the file's fate, so a file in flight
     * shows "received" as its last step ("deidentified", waiting for "ocr or verify", when it went to OCR).
     */
    private static final Map<String, String> QUEUE = Map.of(
        "classify", "haven.classify", "deidentify", "haven.classify", "ocr or verify", "haven.ocr / haven.classify",
        "verify", "haven.classify", "release", "haven.classify");

    private Stages() {}

    /** The last completed step, when it happened, and what the file waits for. */
    public record Position(String lastStep, java.time.Instant lastStepAt, String waitingFor, String queue) {}

    public static Position of(List<OperationsRecords.Event> events, java.time.Instant receivedAt) {
        for (int i = events.size() - 1; i >= 0; i--) {
            OperationsRecords.Event e = events.get(i);
            String next = NEXT.get(e.event());
            if (next != null) return new Position(e.event(), e.at(), next, QUEUE.get(next));
        }
        return new Position("received", receivedAt, "classify", CLASSIFY_QUEUE);
    }
}

package org.haven.web;

/**
 * Sends a file back through the pipeline after a reviewer's release or re-process decision. When it is called, the
 * file's original bytes are back in staging and its outcome row is gone (see {@link Review}); the implementation
 * only has to hand the file id to the pipeline so that it is de-identified with {@code profile} and verified afresh,
 * treating the device as trusted for this file only ({@code reviewRelease}; a re-check after a rule change goes through
 * the registry as before), with {@code fileBoxes} (JSON, may be null) blanked in its pixels.
 */
public interface Resubmitter {
    /** Header that tells the pipeline a reviewer released this one file: its device counts as trusted for it. */
    String REVIEW_RELEASE = "HavenReviewRelease";

    void resubmit(Request request) throws Exception;

    /** What the pipeline needs; device facts are not identifying. */
    record Request(String fileId, String board, String profile, String project, String actor,
                   String modality, String manufacturer, String model, String deviceId, boolean reviewRelease, String fileBoxes) {}
}

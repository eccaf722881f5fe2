package org.haven.web;

import org.haven.ops.Operations;
import org.haven.ops.StatusReport;

/**
 * The Operations page's API: {@code GET /api/ops/status} (reviewers and admins: the report {@code ./run.sh status}
 * prints) and {@code POST /api/ops/resubmit} (admins, with a comment: send a stuck file back through the pipeline,
 * audited in {@code file_event} and on the audit page). Wired in {@link WebApp}; the facts come from org.haven.ops.
 */
final class OperationsApi {
    private final Operations ops;

    OperationsApi(Operations ops) { this.ops = ops; }

    StatusReport status() throws Exception { return ops.status(); }

    Operations.Resubmission resubmit(String fileId, String comment, String actor) throws Exception {
        if (fileId == null) throw new WebException(400, "fileId required");
        Review.requireComment(comment);
        try {
            return ops.resubmit(fileId, comment, actor);
        } catch (IllegalStateException e) {
            throw new WebException(409, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new WebException(400, e.getMessage());
        }
    }
}

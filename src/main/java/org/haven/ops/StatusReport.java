package org.haven.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./run.sh status}, the Operations page and {@code /metrics} show, taken at one moment. File ids are
 * content hashes; nothing here identifies a patient.
 *
 * @param fates     files per outcome and reason (reason "" for released)
 * @param totals    received (every distinct file), released, quarantined, rejected, inFlight, stuck
 * @param files     the oldest files in flight (at most {@code Operations.MAX_LISTED}); {@code totals.inFlight} counts all
 * @param queues    depths and consumers per queue, or why they are unknown
 * @param warnings  empty when all is well; the status command exits 3 otherwise
 */
public record StatusReport(Instant at, String stuckAfter, long stuckAfterSeconds, List<Fate> fates, Map<String, Long> totals,
                           List<FileInFlight> files, Queues queues, List<Warning> warnings) {

    public record Fate(String fate, String reason, long files) {}

    public record FileInFlight(String fileId, String board, Instant receivedAt, long ageSeconds, String lastStep, Instant lastStepAt,
                               long idleSeconds, String waitingFor, String queue, boolean stuck) {}

    public record Queues(boolean available, String error, List<QueueStatistics.QueueInfo> queues) {}

    /** kind: queue-without-consumers, file-stuck, queues-unknown; subject: the queue name or file id. */
    public record Warning(String kind, String subject, String message) {}

    public boolean healthy() { return warnings.isEmpty(); }
}

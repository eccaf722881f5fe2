package org.haven.ops;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.haven.ingest.Stager;
import org.haven.store.OperationsRecords;
import org.haven.store.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one source of operational facts (see the package comment): reads the store and the broker and decides what
 * deserves a warning. Also carries out an operator's "resubmit" of a stuck file.
 */
public final class Operations {
    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);
    /** Files in flight listed one by one (oldest first); the count covers all of them. */
    public static final int MAX_LISTED = 500;
    /** Haven's own stage queues: one without consumers is a warning even when empty (no node consumes that stage). */
    static final Set<String> STAGE_QUEUES = Set.of("haven.ingest", "haven.classify", "haven.deidentify", "haven.ocr", "haven.verify",
        "haven.release");

    /** Hands a file id back to the pipeline (the node: {@code jms:queue:haven.classify}). */
    public interface Resender {
        void send(String fileId, String board) throws Exception;
    }

    private final OperationsRecords records;
    private final QueueStatistics queues;
    private final Duration stuckAfter;
    private final String stuckAfterText;
    private final Workspace workspace;
    private final Resender resender;

    /** {@code workspace} and {@code resender} may be null (the status command only reads). */
    public Operations(OperationsRecords records, QueueStatistics queues, String stuckAfter, Workspace workspace, Resender resender) {
        this.records = records;
        this.queues = queues;
        this.stuckAfter = Durations.parse("haven.ops.stuck-after", stuckAfter);
        this.stuckAfterText = stuckAfter.trim();
        this.workspace = workspace;
        this.resender = resender;
    }

    public Duration stuckAfter() { return stuckAfter; }

    public StatusReport status() throws Exception {
        Instant now = Instant.now();
        List<StatusReport.Fate> fates = new ArrayList<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String t : List.of("received", "released", "quarantined", "rejected", "inFlight", "stuck")) totals.put(t, 0L);
        for (OperationsRecords.FateCount f : records.fateCounts()) {
            fates.add(new StatusReport.Fate(f.fate(), f.reason(), f.files()));
            totals.merge(f.fate(), f.files(), Long::sum);
            totals.merge("received", f.files(), Long::sum);
        }
        long inFlight = records.inFlightCount();
        totals.put("inFlight", inFlight);
        totals.merge("received", inFlight, Long::sum);

        List<StatusReport.FileInFlight> files = new ArrayList<>();
        List<StatusReport.Warning> warnings = new ArrayList<>();
        long stuck = 0;
        for (OperationsRecords.InFlight f : records.inFlight(MAX_LISTED)) {
            Stages.Position p = Stages.of(f.events(), f.receivedAt());
            Duration idle = Duration.between(p.lastStepAt(), now);
            boolean isStuck = idle.compareTo(stuckAfter) > 0;
            files.add(new StatusReport.FileInFlight(f.fileId(), f.board(), f.receivedAt(), Duration.between(f.receivedAt(), now).getSeconds(),
                p.lastStep(), p.lastStepAt(), idle.getSeconds(), p.waitingFor(), p.queue(), isStuck));
            if (isStuck) {
                stuck++;
                if (stuck <= 20) {
                    warnings.add(new StatusReport.Warning("file-stuck", f.fileId(), "file " + Stager.shortId(f.fileId()) + " in flight for "
                        + Durations.human(Duration.between(f.receivedAt(), now)) + ": last step '" + p.lastStep() + "' "
                        + Durations.human(idle) + " ago, waiting for " + p.waitingFor() + " (" + p.queue() + "), longer than "
                        + stuckAfterText));
                }
            }
        }
        if (stuck > 20) warnings.add(new StatusReport.Warning("file-stuck", "", (stuck - 20) + " more files stuck (see the list)"));
        totals.put("stuck", stuck);

        QueueStatistics.Result q = queues.query();
        if (!q.available()) {
            warnings.add(0, new StatusReport.Warning("queues-unknown", "", "queue depths and consumers unknown: " + q.error()));
        }
        int at = 0;
        for (QueueStatistics.QueueInfo qi : q.queues()) {
            if (qi.consumers() == 0 && (qi.depth() > 0 || STAGE_QUEUES.contains(qi.name()))) {
                warnings.add(at++, new StatusReport.Warning("queue-without-consumers", qi.name(), "queue " + qi.name() + " has no consumers and holds "
                    + qi.depth() + " message(s)" + (STAGE_QUEUES.contains(qi.name()) ? ": no node is running this stage"
                        : ": is a route sending to a misspelt queue?")));
            }
        }
        return new StatusReport(now, stuckAfterText, stuckAfter.getSeconds(), fates, totals, files,
            new StatusReport.Queues(q.available(), q.error(), q.queues()), warnings);
    }

    /** What a resubmission did. */
    public record Resubmission(String fileId, String lastStep, String waitingFor, String sentTo) {}

    /**
     * Sends a file in flight back through the pipeline. It re-enters at classify whatever the stage it was stuck
     * before: later stages take their decisions (profile, pixel blanking, release path) from message headers that
     * earlier stages set, so a bare file id sent to a later queue would skip them. Classify recomputes them from the
     * staged original, deterministically, and the file then reaches the stage it was stuck before. If the old message
     * is consumed after all, {@code StageGuard} drops whichever copy comes second. Audited in {@code file_event}.
     *
     * @throws IllegalStateException when the file is not in flight, not stuck (its last step is more recent than
     *                               {@code haven.ops.stuck-after}) or its staged original is missing
     */
    public Resubmission resubmit(String fileId, String comment, String actor) throws Exception {
        if (resender == null || workspace == null) throw new IllegalStateException("resubmit needs a running node");
        if (comment == null || comment.isBlank()) throw new IllegalArgumentException("a comment is required");
        OperationsRecords.InFlight f = records.inFlight(fileId)
            .orElseThrow(() -> new IllegalStateException("file is not in flight (it has an outcome or is unknown)"));
        if (!Files.exists(workspace.staged(fileId))) throw new IllegalStateException("the file's staged original is missing");
        Stages.Position p = Stages.of(f.events(), f.receivedAt());
        Duration idle = Duration.between(p.lastStepAt(), Instant.now());
        if (idle.compareTo(stuckAfter) <= 0) {
            throw new IllegalStateException("file is not stuck: its last step was " + Durations.human(idle) + " ago (stuck after " + stuckAfterText + ")");
        }
        String detail = "was waiting for " + p.waitingFor() + " after '" + p.lastStep() + "'; sent to " + Stages.CLASSIFY_QUEUE;
        records.resubmitted(fileId, detail, comment.trim(), actor, () -> resender.send(fileId, f.board()));
        LOG.info("ops: {} resubmitted file {} (was waiting for {})", actor, Stager.shortId(fileId), p.waitingFor());
        return new Resubmission(fileId, p.lastStep(), p.waitingFor(), Stages.CLASSIFY_QUEUE);
    }
}

package org.haven.cli;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.haven.app.Settings;
import org.haven.ops.Durations;
import org.haven.ops.Operations;
import org.haven.ops.OperationsSetup;
import org.haven.ops.QueueStatistics;
import org.haven.ops.StatusReport;
import org.haven.store.Store;

/**
 * {@code ./run.sh status [--json]}: what the node (or cluster) has done and what is stuck, from the shared store and
 * the broker, run as a separate process with the node's HAVEN_* settings. Exit 0 when all is well, 3 when there are
 * warnings (a queue without consumers, a file in flight longer than haven.ops.stuck-after, queues that could not be
 * read), 1 when the store cannot be read.
 */
public final class StatusCommand implements Command {
    static final int WARNINGS = 3;

    @Override
    public int run(List<String> args) throws Exception {
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) json = true;
            else throw new UsageException("unknown option " + a);
        }
        Settings settings = CommandContext.settings();
        try (Store store = CommandContext.openStore(settings)) {
            Operations ops = OperationsSetup.forCommand(settings, store);
            StatusReport r = ops.status();
            if (json) {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .registerModule(new SimpleModule().addSerializer(java.time.Instant.class, ToStringSerializer.instance));
                System.out.println(mapper.writeValueAsString(r));
            } else {
                System.out.print(text(r));
            }
            return r.healthy() ? 0 : WARNINGS;
        }
    }

    /** The report as the command prints it (without --json). */
    public static String text(StatusReport r) {
        StringBuilder sb = new StringBuilder();
        Map<String, Long> t = r.totals();
        sb.append(String.format("Haven status at %s%n", r.at()));
        sb.append(String.format("files: %d received, %d released, %d quarantined, %d rejected, %d in flight (%d stuck > %s)%n%n",
            t.get("received"), t.get("released"), t.get("quarantined"), t.get("rejected"), t.get("inFlight"), t.get("stuck"), r.stuckAfter()));
        sb.append(String.format("%-12s %-40s %8s%n", "fate", "reason", "files"));
        for (StatusReport.Fate f : r.fates()) sb.append(String.format("%-12s %-40s %8d%n", f.fate(), f.reason().isEmpty() ? "-" : f.reason(), f.files()));
        sb.append('\n');
        if (r.files().isEmpty()) {
            sb.append("in flight: none\n");
        } else {
            sb.append(String.format("%-12s %-16s %8s %-16s %8s  %-26s %s%n", "in flight", "board", "age", "last step", "idle", "waiting for", ""));
            for (StatusReport.FileInFlight f : r.files()) {
                sb.append(String.format("%-12s %-16s %8s %-16s %8s  %-26s %s%n", f.fileId().substring(0, 12), cut(f.board(), 16),
                    Durations.human(java.time.Duration.ofSeconds(f.ageSeconds())), f.lastStep(), Durations.human(java.time.Duration.ofSeconds(f.idleSeconds())),
                    f.waitingFor() + " (" + f.queue() + ")", f.stuck() ? "STUCK" : ""));
            }
            if (r.files().size() < t.get("inFlight")) sb.append("... ").append(t.get("inFlight") - r.files().size()).append(" more\n");
        }
        sb.append('\n');
        if (!r.queues().available()) {
            sb.append("queues: unknown (").append(r.queues().error()).append(")\n");
        } else {
            sb.append(String.format("%-32s %8s %9s %10s %10s%n", "queue", "depth", "consumers", "enqueued", "dequeued"));
            for (QueueStatistics.QueueInfo q : r.queues().queues()) {
                sb.append(String.format("%-32s %8d %9d %10d %10d%n", q.name(), q.depth(), q.consumers(), q.enqueued(), q.dequeued()));
            }
        }
        sb.append('\n');
        if (r.warnings().isEmpty()) {
            sb.append("OK: no warnings\n");
        } else {
            for (StatusReport.Warning w : r.warnings()) sb.append("WARNING ").append(w.kind()).append(": ").append(w.message()).append('\n');
        }
        return sb.toString();
    }

    private static String cut(String s, int n) { return s == null ? "" : s.length() <= n ? s : s.substring(0, n - 1) + "~"; }
}

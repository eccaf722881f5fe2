package org.haven.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * Operations facts as Micrometer meters, refreshed from one {@link StatusReport} per scrape:
 * {@code haven_files{fate,reason}}, {@code haven_files_in_flight}, {@code haven_files_stuck},
 * {@code haven_queue_depth{queue}}, {@code haven_queue_consumers{queue}}, {@code haven_queue_statistics_available},
 * {@code haven_warnings}. They are gauges, not counters: they count the shared store (every node reports the same
 * cluster-wide numbers) and a held file's fate can change after review (quarantined → released or rejected).
 */
public final class OpsMetrics {
    private final MultiGauge files;
    private final MultiGauge queueDepth;
    private final MultiGauge queueConsumers;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong stuck = new AtomicLong();
    private final AtomicLong warnings = new AtomicLong();
    private final AtomicLong queuesAvailable = new AtomicLong();
    /** The numbers behind the current rows, kept reachable until the next refresh. */
    private List<Object> current = List.of();

    public OpsMetrics(MeterRegistry registry) {
        files = MultiGauge.builder("haven.files").description("files in the store by fate (released, quarantined, rejected) and reason")
            .register(registry);
        queueDepth = MultiGauge.builder("haven.queue.depth").description("messages waiting in each broker queue").register(registry);
        queueConsumers = MultiGauge.builder("haven.queue.consumers").description("consumers of each broker queue").register(registry);
        Gauge.builder("haven.files.in.flight", inFlight, AtomicLong::get).description("files received with no outcome yet").register(registry);
        Gauge.builder("haven.files.stuck", stuck, AtomicLong::get).description("files in flight longer than haven.ops.stuck-after since their last step")
            .register(registry);
        Gauge.builder("haven.warnings", warnings, AtomicLong::get).description("warnings ./run.sh status would print").register(registry);
        Gauge.builder("haven.queue.statistics.available", queuesAvailable, AtomicLong::get)
            .description("1 when the broker answered the statistics query").register(registry);
    }

    public synchronized void update(StatusReport r) {
        List<Object> keep = new ArrayList<>();
        List<MultiGauge.Row<?>> fileRows = new ArrayList<>();
        for (StatusReport.Fate f : r.fates()) {
            AtomicLong n = new AtomicLong(f.files());
            keep.add(n);
            fileRows.add(MultiGauge.Row.of(Tags.of("fate", f.fate(), "reason", f.reason()), n, AtomicLong::get));
        }
        List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> consumerRows = new ArrayList<>();
        for (QueueStatistics.QueueInfo q : r.queues().queues()) {
            AtomicLong d = new AtomicLong(q.depth());
            AtomicLong c = new AtomicLong(q.consumers());
            keep.add(d);
            keep.add(c);
            depthRows.add(MultiGauge.Row.of(Tags.of("queue", q.name()), d, AtomicLong::get));
            consumerRows.add(MultiGauge.Row.of(Tags.of("queue", q.name()), c, AtomicLong::get));
        }
        current = keep;
        files.register(fileRows, true);
        queueDepth.register(depthRows, true);
        queueConsumers.register(consumerRows, true);
        inFlight.set(r.totals().getOrDefault("inFlight", 0L));
        stuck.set(r.totals().getOrDefault("stuck", 0L));
        warnings.set(r.warnings().size());
        queuesAvailable.set(r.queues().available() ? 1 : 0);
    }
}

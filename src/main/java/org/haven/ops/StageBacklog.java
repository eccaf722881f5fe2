package org.haven.ops;

import java.time.Duration;
import java.util.function.LongSupplier;

import jakarta.jms.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many files wait in Haven's stage queues (all nodes' work), for the drop folders' intake limit: asked of the
 * broker's statistics plugin at each poll. -1 when it cannot say (broker unreachable: intake then runs as without a
 * limit, each queued message still bounded by the broker's memory limit); a broker without the plugin is asked once.
 */
public final class StageBacklog implements LongSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(StageBacklog.class);
    private final QueueStatistics statistics;
    private volatile boolean noPlugin;

    public StageBacklog(ConnectionFactory cf) {
        this.statistics = new QueueStatistics(cf, "haven.>", Duration.ofSeconds(1), Duration.ZERO);
    }

    @Override
    public long getAsLong() {
        if (noPlugin) return -1;
        QueueStatistics.Result r = statistics.query();
        if (!r.available()) {
            if (r.error().startsWith("no reply")) {
                noPlugin = true;
                LOG.info("intake does not wait for the stage queues: {}", r.error());
            }
            return -1;
        }
        return r.queues().stream().filter(q -> Operations.STAGE_QUEUES.contains(q.name())).mapToLong(QueueStatistics.QueueInfo::depth).sum();
    }
}

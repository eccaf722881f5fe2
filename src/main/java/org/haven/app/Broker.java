package org.haven.app;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * JMS plumbing. By default an embedded ActiveMQ Classic broker runs in-process (persistent KahaDB in the
 * workspace, so queued work survives a restart); production points {@code haven.broker.url} at an external broker
 * and sets {@code haven.broker.embedded=false}, and every node consumes the same queues.
 */
public final class Broker {
    private static final Pattern IN_URL_ASYNC = Pattern.compile("[?&]async=");

    private Broker() {}

    public static BrokerService startEmbedded(String name, boolean persistent, Path dataDir, String listen, int memoryMb) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName(name);
        broker.setUseJmx(false);
        broker.setPersistent(persistent);
        broker.setDataDirectoryFile(dataDir.toFile());
        broker.setUseShutdownHook(false);
        broker.setAdvisorySupport(false);
        // queue depths and consumer counts for ./run.sh status and /metrics (org.haven.ops.QueueStatistics)
        broker.setPlugins(new org.apache.activemq.broker.BrokerPlugin[] {new org.apache.activemq.plugin.StatisticsBrokerPlugin()});
        if (persistent && broker.getPersistenceAdapter() instanceof KahaDBPersistenceAdapter kaha) {
            // Recover on its own after a crash or a full disk: skip a torn record at the end of the journal instead of
            // refusing to start ("Failed to recover data at position ..."); torn records were never acknowledged.
            kaha.setCheckForCorruptJournalFiles(true);
            kaha.setChecksumJournalFiles(true);
            // Small journal files, cleaned often: consumed messages (and bytes sent to haven.ingest) leave the disk
            // within seconds of the file rolling over, and a journal never needs much free space to grow.
            kaha.setJournalMaxFileLength(4 * 1024 * 1024);
            kaha.setCleanupInterval(5_000);
        }
        // Queued messages the broker keeps in the heap (its default is 1 GB): past 70 % of this the queue's cursor
        // stops caching and pages persistent messages from the journal instead, so a node's memory stays bounded when
        // a large drop is staged much faster than it is processed (a 10,000-file drop had ~5,600 messages in the heap).
        // After the name, data directory and persistence adapter: getSystemUsage() creates the adapter if none is set.
        broker.getSystemUsage().getMemoryUsage().setLimit(memoryMb * 1024L * 1024L);
        if (listen != null && !listen.isBlank()) broker.addConnector(listen);
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }

    /**
     * Pooled factory; prefetch 1 so several workers share a queue fairly; redelivery with back-off. To an in-process
     * broker ({@code vm://}) a consumer's commit runs, and its next message is dispatched, on the calling thread
     * ({@code async=false}, {@code jms.dispatchAsync=false}) instead of through two more threads per message: a warm
     * node's drop took 9-11 % less time (bench/RESULTS.md, 1 December). Either stays as the URL says when it says.
     */
    public static JmsPoolConnectionFactory connectionFactory(String url, String user, String password) {
        String options = "jms.prefetchPolicy.queuePrefetch=1";
        if (url.startsWith("vm:")) {
            if (!IN_URL_ASYNC.matcher(url).find()) options += "&async=false";
            if (!url.contains("jms.dispatchAsync=")) options += "&jms.dispatchAsync=false";
        }
        ActiveMQConnectionFactory amq = new ActiveMQConnectionFactory(url + (url.contains("?") ? "&" : "?") + options);
        if (user != null && !user.isBlank()) {
            amq.setUserName(user);
            amq.setPassword(password);
        }
        RedeliveryPolicy redelivery = amq.getRedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(500);
        redelivery.setUseExponentialBackOff(true);
        redelivery.setBackOffMultiplier(2);
        redelivery.setMaximumRedeliveryDelay(30_000);
        redelivery.setMaximumRedeliveries(-1); // the routes quarantine after haven.max-deliveries; never dead-letter
        amq.setTrustAllPackages(false);
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(amq);
        pool.setMaxConnections(4);
        return pool;
    }
}

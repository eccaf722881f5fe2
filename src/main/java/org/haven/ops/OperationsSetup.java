package org.haven.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.haven.HavenHeaders;
import org.haven.app.Settings;
import org.haven.store.OperationsRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;

/** Builds {@link Operations} for a running node (its own JMS connections) or for the status command (a separate process). */
public final class OperationsSetup {
    static final Duration STATS_TIMEOUT = Duration.ofSeconds(2);
    static final Duration RESAMPLE = Duration.ofMillis(300);

    private OperationsSetup() {}

    /** In the node: the broker through the node's pooled JMS connections; resubmit sends to haven.classify. */
    public static Operations forNode(Settings settings, Store store, Workspace workspace, CamelContext camel) {
        ConnectionFactory cf = camel.getComponent("jms", JmsComponent.class).getConnectionFactory();
        QueueStatistics queues = new QueueStatistics(cf, settings.get("haven.ops.queues"), STATS_TIMEOUT, RESAMPLE);
        ProducerTemplate producer = camel.createProducerTemplate();
        Operations.Resender resender = (fileId, board) -> {
            Map<String, Object> headers = new HashMap<>();
            headers.put(HavenHeaders.FILE_ID, fileId);
            headers.put(HavenHeaders.BOARD, board);
            producer.sendBodyAndHeaders("jms:queue:" + Stages.CLASSIFY_QUEUE, "", headers);
        };
        return new Operations(new OperationsRecords(store), queues, settings.get("haven.ops.stuck-after"), workspace, resender);
    }

    /** In {@code ./run.sh status}: read-only, the broker over TCP (see {@link #brokerUrl}). */
    public static Operations forCommand(Settings settings, Store store) {
        String url = brokerUrl(settings);
        ConnectionFactory cf = null;
        if (url != null) {
            ActiveMQConnectionFactory amq = new ActiveMQConnectionFactory(url);
            String user = settings.get("haven.broker.user");
            if (!user.isBlank()) {
                amq.setUserName(user);
                amq.setPassword(settings.get("haven.broker.password"));
            }
            cf = amq;
        }
        QueueStatistics queues = url == null
            ? QueueStatistics.unavailable("the embedded broker is in-process only: set haven.broker.listen (e.g. tcp://127.0.0.1:61616) "
                + "on the node, or haven.ops.broker-url here")
            : new QueueStatistics(cf, settings.get("haven.ops.queues"), STATS_TIMEOUT, RESAMPLE);
        return new Operations(new OperationsRecords(store), queues, settings.get("haven.ops.stuck-after"), null, null);
    }

    /**
     * Where a separate process finds the broker: {@code haven.ops.broker-url} if set; else {@code haven.broker.url}
     * unless it is in-process ({@code vm://}, which from another process would start a new empty broker), in which case
     * the embedded broker's {@code haven.broker.listen} address; else null. Failover URLs get a connect timeout so
     * the command never hangs on a broker that is down.
     */
    static String brokerUrl(Settings settings) {
        String url = settings.get("haven.ops.broker-url");
        if (url.isBlank()) url = settings.get("haven.broker.url");
        if (url.startsWith("vm:")) {
            String listen = settings.get("haven.broker.listen");
            if (listen.isBlank()) return null;
            url = listen.replace("0.0.0.0", "127.0.0.1");
            int q = url.indexOf('?');
            if (q > 0) url = url.substring(0, q);
        }
        if (url.startsWith("failover:")) {
            url += (url.lastIndexOf('?') > url.lastIndexOf(')') ? "&" : "?") + "timeout=" + STATS_TIMEOUT.toMillis() + "&startupMaxReconnectAttempts=1";
        }
        return url;
    }
}

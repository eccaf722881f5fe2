package org.haven.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

/**
 * Queue depths and consumer counts from ActiveMQ Classic's statistics plugin ({@code StatisticsBrokerPlugin}): a
 * message to {@code ActiveMQ.Statistics.Destination.<pattern>} with a reply-to queue gets one MapMessage per matching
 * queue (size, consumerCount, enqueueCount, dequeueCount). Plain JMS, so it works the same over {@code vm://} to the
 * embedded broker (which installs the plugin, see {@code org.haven.app.Broker}) and over TCP to an external broker
 * (add {@code <statisticsBrokerPlugin/>} to its {@code activemq.xml}). JMX would need a remote JMX port opened on the
 * broker; a QueueBrowser count finds neither unknown queues (a misspelt name) nor consumers.
 *
 * <p>Consumers of a transacted Camel route may be re-created between receives, so a queue counts as having no
 * consumers only when two samples {@code resample} apart both show none.
 */
public final class QueueStatistics {
    static final String PREFIX = "ActiveMQ.Statistics.Destination.";
    static final String END_WITH_NULL = "ActiveMQ.Statistics.Destination.List.End.With.Null";

    public record QueueInfo(String name, long depth, long consumers, long enqueued, long dequeued) {}

    /** available=false with the reason when the broker could not be asked (error never names files). */
    public record Result(boolean available, String error, List<QueueInfo> queues) {
        static Result unavailable(String why) { return new Result(false, why, List.of()); }
    }

    private final ConnectionFactory factory;
    private final String pattern;
    private final Duration timeout;
    private final Duration resample;
    private final String unavailable;

    public QueueStatistics(ConnectionFactory factory, String pattern, Duration timeout, Duration resample) {
        this(factory, pattern, timeout, resample, null);
    }

    private QueueStatistics(ConnectionFactory factory, String pattern, Duration timeout, Duration resample, String unavailable) {
        this.factory = factory;
        this.pattern = pattern;
        this.timeout = timeout;
        this.resample = resample;
        this.unavailable = unavailable;
    }

    /** Statistics that cannot be had, and why (said in every report). */
    public static QueueStatistics unavailable(String why) { return new QueueStatistics(null, "", Duration.ZERO, Duration.ZERO, why); }

    public Result query() {
        if (factory == null) return Result.unavailable(unavailable == null ? "no broker connection configured" : unavailable);
        try {
            Map<String, QueueInfo> first = sample();
            if (first == null) return noPlugin();
            if (first.values().stream().anyMatch(q -> q.consumers() == 0) && !resample.isZero()) {
                Thread.sleep(resample.toMillis());
                Map<String, QueueInfo> second = sample();
                if (second != null) {
                    for (QueueInfo q : second.values()) {
                        QueueInfo a = first.get(q.name());
                        if (a == null || q.consumers() > a.consumers()) first.put(q.name(), q);
                    }
                }
            }
            List<QueueInfo> out = new ArrayList<>(first.values());
            out.sort(Comparator.comparing(QueueInfo::name));
            return new Result(true, null, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.unavailable("interrupted");
        } catch (JMSException | RuntimeException e) {
            return Result.unavailable("broker not reachable: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage().lines().findFirst().orElse("") + ")"));
        }
    }

    private Result noPlugin() {
        return Result.unavailable("no reply from the broker's statistics plugin within " + timeout.toMillis()
            + " ms (an external ActiveMQ needs <statisticsBrokerPlugin/> in activemq.xml)");
    }

    /** One round: queue name → statistics, or null when no reply came (plugin missing). */
    private Map<String, QueueInfo> sample() throws JMSException {
        Map<String, QueueInfo> out = new TreeMap<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                Queue replies = s.createTemporaryQueue();
                try (MessageConsumer consumer = s.createConsumer(replies);
                     MessageProducer producer = s.createProducer(s.createQueue(PREFIX + pattern))) {
                    producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                    producer.setTimeToLive(timeout.toMillis()); // a broker without the plugin drops the request after that
                    Message ask = s.createMessage();
                    ask.setJMSReplyTo(replies);
                    ask.setBooleanProperty(END_WITH_NULL, true);
                    producer.send(ask);
                    long deadline = System.nanoTime() + timeout.toNanos();
                    boolean any = false;
                    while (true) {
                        long left = (deadline - System.nanoTime()) / 1_000_000;
                        if (left <= 0) return any ? out : null;
                        Message m = consumer.receive(left);
                        if (m == null) return any ? out : null;
                        any = true;
                        if (!(m instanceof MapMessage map) || !map.itemExists("destinationName")) return out; // end of list
                        String name = map.getString("destinationName");
                        if (name.startsWith("queue://")) name = name.substring("queue://".length());
                        if (name.startsWith("ActiveMQ.")) continue; // the broker's own (statistics, advisories)
                        out.put(name, new QueueInfo(name, map.getLong("size"), map.getLong("consumerCount"),
                            map.getLong("enqueueCount"), map.getLong("dequeueCount")));
                    }
                }
            }
        }
    }
}

package org.haven.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.junit.jupiter.api.Test;

/**
 * Queue statistics from a broker reached over TCP, as the status command reaches an external broker: depths and
 * consumers of every queue (also one nobody declared); a broker without the statistics plugin is reported, not
 * waited on for ever.
 */
class QueueStatisticsTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void depthsAndConsumersOverTcp() throws Exception {
        BrokerService broker = broker("ops-stats", true);
        try {
            ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(broker.getTransportConnectors().get(0).getPublishableConnectString());
            try (Connection c = cf.createConnection(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                c.start();
                MessageConsumer worker = s.createConsumer(s.createQueue("haven.verify"));
                try (MessageProducer p = s.createProducer(s.createQueue("haven.verfy"))) {
                    p.send(s.createTextMessage("file id"));
                    p.send(s.createTextMessage("file id"));
                }
                QueueStatistics.Result r = new QueueStatistics(cf, ">", TIMEOUT, Duration.ofMillis(100)).query();
                assertThat(r.available()).as(r.error()).isTrue();
                assertThat(r.queues()).extracting(QueueStatistics.QueueInfo::name).containsExactly("haven.verfy", "haven.verify");
                assertThat(r.queues().get(0)).isEqualTo(new QueueStatistics.QueueInfo("haven.verfy", 2, 0, 2, 0));
                assertThat(r.queues().get(1).consumers()).isEqualTo(1);
                assertThat(r.queues().get(1).depth()).isZero();
                worker.close();
            }
        } finally {
            broker.stop();
        }
    }

    @Test
    void aBrokerWithoutThePluginIsReportedWithinTheTimeout() throws Exception {
        BrokerService broker = broker("ops-noplugin", false);
        try {
            ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(broker.getTransportConnectors().get(0).getPublishableConnectString());
            long t0 = System.nanoTime();
            QueueStatistics.Result r = new QueueStatistics(cf, ">", TIMEOUT, Duration.ofMillis(100)).query();
            assertThat(r.available()).isFalse();
            assertThat(r.error()).contains("statisticsBrokerPlugin");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.multipliedBy(3));
        } finally {
            broker.stop();
        }
    }

    static BrokerService broker(String name, boolean plugin) throws Exception {
        BrokerService b = new BrokerService();
        b.setBrokerName(name);
        b.setPersistent(false);
        b.setUseJmx(false);
        b.setUseShutdownHook(false);
        b.setAdvisorySupport(false);
        if (plugin) b.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        b.addConnector("tcp://127.0.0.1:0");
        b.start();
        b.waitUntilStarted();
        return b;
    }
}

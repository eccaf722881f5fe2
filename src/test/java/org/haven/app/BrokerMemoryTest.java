package org.haven.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker keeps at most haven.broker.memory-mb of queued messages in the heap: a backlog larger than
 * that (a large drop staged faster than it is processed) waits in the journal, and the sender is not blocked.
 */
class BrokerMemoryTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(300) // a blocked sender would otherwise hang the build
    void aBacklogLargerThanTheLimitWaitsInTheJournal() throws Exception {
        int limitMb = 4;
        BrokerService broker = Broker.startEmbedded("memory-test", true, tmp.resolve("broker"), "", limitMb);
        try {
            ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://memory-test?create=false");
            byte[] body = new byte[16 * 1024];
            int messages = 640; // 10 MB of bodies, 2.5 x the limit
            try (Connection c = cf.createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("backlog"));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < messages; i++) {
                    BytesMessage m = s.createBytesMessage();
                    m.writeBytes(body);
                    p.send(m);
                }
            }
            Destination queue = broker.getDestination(new ActiveMQQueue("backlog"));
            assertThat(queue.getDestinationStatistics().getMessages().getCount()).isEqualTo(messages);
            assertThat(tmp.resolve("broker")).as("the journal is where the node keeps it").isNotEmptyDirectory();
            assertThat(broker.getSystemUsage().getMemoryUsage().getUsage()).as("bytes of queued messages in the heap")
                .isLessThanOrEqualTo(limitMb * 1024L * 1024L);
        } finally {
            broker.stop();
            broker.waitUntilStopped();
        }
    }
}

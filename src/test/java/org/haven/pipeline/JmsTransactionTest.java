package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.activemq.broker.BrokerRegistry;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's JMS consumers keep their session and consumer between messages and commit the session's own transaction
 * (no JmsTransactionManager, under which Spring re-created both for every message). What that must not change: a
 * message a journey sends (an at-risk image to haven.ocr) is part of the transaction of the message it took, so a
 * journey that fails after its send leaves no sent message behind; the one it took comes back. Same component and
 * connection factory as the node's own routes.
 */
class JmsTransactionTest {
    @TempDir
    Path tmp;

    @Test
    void aSendInsideAFailedJourneyIsRolledBackWithIt() throws Exception {
        try (TestNode node = TestNode.builder(tmp.resolve("n")).start()) {
            AtomicInteger attempts = new AtomicInteger();
            node.haven.camel().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:test.journey?transacted=true")
                        .to("jms:queue:test.sent?exchangePattern=InOnly")
                        .process(e -> {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("the journey fails after its send");
                        });
                }
            });
            node.haven.camel().createProducerTemplate().sendBody("jms:queue:test.journey?exchangePattern=InOnly", "file id");

            long deadline = System.nanoTime() + 30_000_000_000L;
            while (attempts.get() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(attempts.get()).as("deliveries (the second one shows the first rolled back)").isGreaterThanOrEqualTo(2);
            BrokerService broker = BrokerRegistry.getInstance().lookup(node.haven.settings().get("haven.broker.name"));
            Destination sent = broker.getDestination(new ActiveMQQueue("test.sent"));
            assertThat(sent == null ? 0 : sent.getDestinationStatistics().getEnqueues().getCount())
                .as("messages the failed journey sent").isZero();
        }
    }
}

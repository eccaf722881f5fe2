package org.haven.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/** What the pooled factory asks of the broker: synchronous transport and dispatch in process, as configured elsewhere. */
class BrokerConnectionFactoryTest {
    @Test
    void anInProcessBrokerRunsCommitsAndDispatchOnTheCallingThread() {
        ActiveMQConnectionFactory amq = amq("vm://haven?create=false");
        assertThat(amq.getBrokerURL()).contains("async=false");
        assertThat(amq.isDispatchAsync()).isFalse();
        assertThat(amq.getPrefetchPolicy().getQueuePrefetch()).isEqualTo(1);
    }

    @Test
    void whatTheUrlSaysStays() {
        ActiveMQConnectionFactory amq = amq("vm://haven?create=false&async=true&jms.dispatchAsync=true");
        assertThat(amq.getBrokerURL()).contains("async=true").doesNotContain("async=false");
        assertThat(amq.isDispatchAsync()).isTrue();
    }

    @Test
    void aBrokerElsewhereKeepsActiveMqsDefaults() {
        ActiveMQConnectionFactory amq = amq("failover:(tcp://broker-host:61616)");
        assertThat(amq.getBrokerURL()).doesNotContain("async=");
        assertThat(amq.isDispatchAsync()).isTrue();
        assertThat(amq.getPrefetchPolicy().getQueuePrefetch()).isEqualTo(1);
    }

    private static ActiveMQConnectionFactory amq(String url) {
        JmsPoolConnectionFactory pool = Broker.connectionFactory(url, "", "");
        try {
            return (ActiveMQConnectionFactory) pool.getConnectionFactory();
        } finally {
            pool.stop();
        }
    }
}

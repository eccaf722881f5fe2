package org.haven.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class FailureKindTest {
    final CamelContext camel = new DefaultCamelContext();
    final FailureKind kind = new FailureKind();

    boolean infrastructure(Throwable t) {
        Exchange e = new DefaultExchange(camel);
        e.setException(t);
        return kind.isInfrastructure(e);
    }

    /**
     * The shape of routes/errors.yaml: when the infrastructure clause's onWhen says no, Camel must fall through to
     * the poison clause (a data error must end in the quarantine, not loop).
     */
    @Test
    void aDataErrorFallsThroughToThePoisonClause() throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.getRegistry().bind("failureKind", kind);
            ctx.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    onException(SQLException.class, IOException.class).onWhen(method("failureKind", "isInfrastructure")).handled(false);
                    onException(Exception.class).handled(true).setBody(constant("quarantined"));
                    from("direct:data").process(e -> { throw new SQLException("value too long", "22001"); });
                    from("direct:machine").process(e -> { throw new SQLException("terminating connection", "57P01"); });
                }
            });
            ctx.start();
            var producer = ctx.createProducerTemplate();
            assertThat(producer.request("direct:data", e -> { }).getMessage().getBody(String.class)).isEqualTo("quarantined");
            Exchange machine = producer.request("direct:machine", e -> { });
            assertThat(machine.getException()).isInstanceOf(SQLException.class); // not handled: the transaction rolls back
        }
    }

    @Test
    void machineTroubleIsRetriedForeverAndFileTroubleIsNot() {
        assertThat(infrastructure(new SQLException("terminating connection", "57P01"))).isTrue();         // PostgreSQL restart
        assertThat(infrastructure(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(infrastructure(new RuntimeException(new SQLException("deadlock", "40P01")))).isTrue(); // wrapped by Camel
        assertThat(infrastructure(new IOException("disk full"))).isTrue();
        assertThat(infrastructure(new SQLException("value too long", "22001"))).isFalse();              // the file's data
        assertThat(infrastructure(new SQLException("constraint", "23503"))).isFalse();
        assertThat(infrastructure(new IllegalStateException("bug"))).isFalse();
    }
}

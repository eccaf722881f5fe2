package org.haven.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in Prometheus text format on its own port ({@code haven.ops.metrics.bind}:{@code port}), so
 * scraping does not depend on the review app and the review app's sessions do not apply. Bound to the loopback
 * address it answers anyone on this machine; bound elsewhere it needs {@code haven.ops.metrics.token} and answers only
 * {@code Authorization: Bearer <token>} (Haven refuses to start otherwise). Each scrape takes one
 * {@link StatusReport} from {@link Operations} (the numbers {@code ./run.sh status} prints) and adds the per-stage
 * timings Camel's Micrometer route policy recorded.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService pool;
    private final PrometheusMeterRegistry registry;
    private final OpsMetrics metrics;
    private final Source source;
    private final byte[] token;
    private volatile boolean started;

    /** Where each scrape takes its report from ({@link Operations#status()}). */
    public interface Source {
        StatusReport status() throws Exception;
    }

    /** Binds the port and checks the settings (so a node fails before it starts work); {@link #start()} serves. */
    public MetricsServer(String bind, int port, String token, PrometheusMeterRegistry registry, Source source) throws IOException {
        boolean loopback = InetAddress.getByName(bind).isLoopbackAddress();
        if (!loopback && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("haven.ops.metrics.bind = " + bind + " is not a loopback address: set haven.ops.metrics.token "
                + "(scrapers send Authorization: Bearer <token>) or bind to 127.0.0.1");
        }
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.registry = registry;
        this.source = source;
        this.metrics = new OpsMetrics(registry);
        org.haven.web.HttpTimeouts.apply(); // before the first JDK server of the process: it reads them once
        this.server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        this.pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "haven-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    public MetricsServer start() {
        server.start();
        started = true;
        LOG.info("metrics on http://{}:{}/metrics{}", server.getAddress().getHostString(), port(), token == null ? "" : " (bearer token)");
        return this;
    }

    public int port() { return server.getAddress().getPort(); }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestURI().getPath().equals("/metrics")) {
                send(ex, 404, "not found\n");
            } else if (!ex.getRequestMethod().equals("GET")) {
                send(ex, 405, "method not allowed\n");
            } else if (!authorised(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(ex, 401, "unauthorised\n");
            } else {
                try {
                    metrics.update(source.status());
                } catch (Exception e) {
                    // the store is down: still serve the timings and the last numbers, and say so in the log
                    LOG.warn("metrics: status not refreshed: {}", e.getClass().getSimpleName());
                }
                send(ex, 200, registry.scrape());
            }
        } finally {
            ex.close();
        }
    }

    private boolean authorised(HttpExchange ex) {
        if (token == null) return true;
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) return false;
        return MessageDigest.isEqual(h.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status == 200 ? CONTENT_TYPE : "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
    }

    @Override
    public void close() {
        if (started) server.stop(0);
        pool.shutdownNow();
    }
}

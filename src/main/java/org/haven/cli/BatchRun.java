package org.haven.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.haven.HavenHeaders;
import org.haven.app.Haven;
import org.haven.quarantine.FailureKind;

/**
 * A batch run in process: a few worker threads each take the next file, stage it ({@code direct:stage-file}) and
 * carry it through the same journey a classify consumer runs ({@code direct:process-file}: classify, de-identify,
 * verify, release, under routes/errors.yaml's stage-errors), with no broker in between. Where the broker would
 * redeliver, this does: a failed attempt is repeated from classify with the headers the file had after staging and
 * {@code JMSXDeliveryCount} counted up, so stage-errors holds a poison file as internal-error after
 * {@code haven.max-deliveries} attempts, and the machine's failures (database, disk) are retried with back-off until
 * the run's deadline. A file that cannot be staged stops the run: a batch run loses nothing.
 */
public final class BatchRun {
    /** JMS's delivery counter, which stage-errors reads; set here for each in-process attempt. */
    static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private final ProducerTemplate producer;
    private final FailureKind failureKind = new FailureKind();
    private final int threads;
    private final long deadlineNanos;
    /** Distinct file ids, kept only when the store is shared (a run's own store counts them itself). */
    private final Set<String> ids;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger distinct = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();

    public BatchRun(Haven haven, int threads, int timeoutSeconds, boolean keepIds) {
        this.producer = haven.camel().createProducerTemplate();
        this.threads = Math.max(1, threads);
        this.deadlineNanos = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        this.ids = keepIds ? ConcurrentHashMap.newKeySet() : null;
    }

    /** Processes every file; returns when each has met its fate (or throws: staging failed, or the deadline passed). */
    public void run(List<Path> files, String board) throws Exception {
        run(files.iterator(), board);
    }

    /**
     * Processes the files as the iterator yields them (e.g. a lazy folder walk: a 10^5-file listing held whole was
     * ~17 MB of live heap for the whole run); the workers share it, one {@code next()} at a time.
     */
    public void run(Iterator<Path> files, String board) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    for (Path f = next(files); f != null && failure.get() == null; f = next(files)) process(f, board);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "haven-batch-" + t);
            workers[t].start();
        }
        for (Thread w : workers) w.join();
        if (failure.get() != null) throw failure.get();
    }

    private Path next(Iterator<Path> files) {
        synchronized (files) {
            if (!files.hasNext()) return null;
            received.incrementAndGet();
            return files.next();
        }
    }

    /** Files taken from the input (identical copies included). */
    public int receivedFiles() { return received.get(); }

    /** Distinct files (identical copies count once). */
    public int distinctFiles() { return distinct.get(); }

    /** The distinct file ids, when kept (shared store), else null. */
    public Set<String> fileIds() { return ids; }

    /** Attempts repeated after a failure (the broker's redeliveries). */
    public int retried() { return retried.get(); }

    void process(Path file, String board) throws Exception {
        Exchange staged = producer.request("direct:stage-file", e -> {
            e.getIn().setBody(file.toFile());
            e.getIn().setHeader(HavenHeaders.BOARD, board);
        });
        if (staged.getException() != null) throw staged.getException();
        String fileId = staged.getMessage().getHeader(HavenHeaders.FILE_ID, String.class);
        if (fileId == null) throw new IllegalStateException("staging returned no file id");
        if (ids == null || ids.add(fileId)) distinct.incrementAndGet();
        if (Boolean.TRUE.equals(staged.getMessage().getHeader(HavenHeaders.ALREADY_DECIDED, Boolean.class))) return;
        // what a JMS message to haven.classify would carry: the headers after staging, no Camel internals
        Map<String, Object> headers = new HashMap<>();
        staged.getMessage().getHeaders().forEach((k, v) -> {
            if (!k.startsWith("Camel") && v != null) headers.put(k, v);
        });
        long backoffMs = 500;
        for (int attempt = 1; ; attempt++) {
            final int delivery = attempt;
            Exchange done = producer.request("direct:process-file", e -> {
                e.getIn().setHeaders(new HashMap<>(headers));
                e.getIn().setHeader(DELIVERY_COUNT, delivery);
            });
            Exception failed = done.getException();
            if (failed == null) return;
            if (System.nanoTime() > deadlineNanos) throw failed;
            retried.incrementAndGet();
            if (failureKind.isInfrastructure(done)) {
                Thread.sleep(backoffMs); // the machine's trouble: wait, as the broker's redelivery back-off does
                backoffMs = Math.min(30_000, backoffMs * 2);
            }
        }
    }
}

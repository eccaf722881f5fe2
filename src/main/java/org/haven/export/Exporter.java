package org.haven.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.haven.ingest.Stager;
import org.haven.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery of released files to the destinations in {@code config/destinations.yaml}, driven by
 * {@code routes/export.yaml}. The store is the work list: {@link #discover} gives every newly released file a pending
 * row per destination (held or rejected files have no released outcome, so they never get one), {@link #deliverDue}
 * sends the due rows and records each outcome; failures come back after a growing back-off. Safe on several nodes
 * (rows are claimed) and after a crash (a row is delivered again only if its outcome was not recorded; the PACS keeps
 * one copy per SOP instance UID).
 */
public final class Exporter {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);
    /** Outcomes committed a little late (or on a node with a slower clock) are still found. */
    private static final Duration OVERLAP = Duration.ofMinutes(5);
    /** Releases read per discovery query: bounds memory when a destination is added to a large archive. */
    private static final int DISCOVERY_PAGE = 1_000;

    private final List<Destination> destinations;
    private final ExportStore store;
    private final Path release;
    private final int batch;

    public Exporter(List<Destination> destinations, Store store, Path release, String node, int batch) {
        this.destinations = destinations;
        this.store = new ExportStore(store, node);
        this.release = release;
        this.batch = batch;
    }

    public List<Destination> destinations() { return destinations; }

    /**
     * Newly released files → pending rows: each destination's scan starts where the store says the last one reached,
     * whichever node made it (after a start-up too: crash catch-up without reading every release again).
     */
    public synchronized void discover() throws Exception {
        for (Destination d : destinations) {
            int added = store.discover(d, store.scannedUntil(d), DISCOVERY_PAGE, OVERLAP);
            if (added > 0) LOG.info("export: {} released files to deliver to {}", added, d.id());
        }
    }

    /** Sends each destination's due files (one batch per destination per call) and records the outcomes. */
    public synchronized void deliverDue() throws Exception {
        for (Destination d : destinations) {
            List<ExportStore.Due> due = store.claimDue(d, batch);
            if (due.isEmpty()) continue;
            Map<String, Path> files = new LinkedHashMap<>();
            Map<String, ExportStore.Due> byId = new HashMap<>();
            for (ExportStore.Due f : due) {
                Path p = release.resolve(f.location());
                byId.put(f.fileId(), f);
                if (Files.isRegularFile(p)) files.put(f.fileId(), p);
                else store.attemptFailed(d, f, "released file missing from the release folder");
            }
            Map<String, String> outcome;
            try {
                outcome = sender(d).send(files);
            } catch (Exception e) {
                outcome = new HashMap<>();
                for (String id : files.keySet()) outcome.put(id, "send failed: " + e.getClass().getSimpleName());
            }
            int ok = 0;
            String lastError = null;
            for (String id : files.keySet()) {
                String error = outcome.getOrDefault(id, "no outcome from sender");
                if (error == null) {
                    store.delivered(d, byId.get(id));
                    ok++;
                } else {
                    store.attemptFailed(d, byId.get(id), error);
                    lastError = error;
                }
            }
            if (ok > 0) LOG.info("export: {} files delivered to {}", ok, d.id());
            if (lastError != null) {
                LOG.warn("export: {} of {} files not delivered to {} (will retry with back-off): {}", files.size() - ok, files.size(), d.id(),
                    lastError);
            }
        }
    }

    private static Sender sender(Destination d) {
        return d.type() == Destination.Type.DICOM ? new DicomSender(d) : new StowSender(d);
    }

    static String shortId(String id) { return Stager.shortId(id); }
}

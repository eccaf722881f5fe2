package org.haven.cli;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

import org.haven.app.Haven;
import org.haven.store.FileRecords;

/** Waits until every submitted file has an outcome in the store. */
final class BatchRun {
    private final Haven haven;
    private final FileRecords records;

    private final boolean ownStore;

    /** {@code ownStore}: the run has a store of its own, so every outcome in it is one of this run's files. */
    BatchRun(Haven haven, FileRecords records, boolean ownStore) {
        this.haven = haven;
        this.records = records;
        this.ownStore = ownStore;
    }

    Map<String, Integer> awaitOutcomes(Set<String> fileIds, int timeoutSeconds) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        Map<String, Integer> summary;
        do {
            summary = records.summary(ownStore ? null : fileIds);
            int decided = summary.values().stream().mapToInt(Integer::intValue).sum();
            if (decided >= fileIds.size()) return summary;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline && haven.camel().isStarted());
        return summary;
    }
}

package org.haven.store;

import java.nio.file.Files;
import java.sql.SQLException;

import org.apache.camel.Exchange;
import org.haven.HavenHeaders;

/**
 * Every stage first asks: has this file already met its fate? A redelivered message, or the second copy of a file
 * that arrived twice while the first was in flight, finds the staged original gone and an outcome recorded; the
 * route then stops quietly (the transaction commits), instead of failing and being redelivered for ever.
 */
public final class StageGuard {
    private final Workspace workspace;
    private final FileRecords records;

    public StageGuard(Workspace workspace, FileRecords records) {
        this.workspace = workspace;
        this.records = records;
    }

    /** True, with the route stopped, when the message is about a file already decided. */
    public boolean stopIfDecided(Exchange exchange) throws SQLException, java.io.IOException {
        String fileId = exchange.getIn().getHeader(HavenHeaders.FILE_ID, String.class);
        if (fileId == null || Files.exists(workspace.staged(fileId)) || records.outcome(fileId).isEmpty()) return false;
        Files.deleteIfExists(workspace.outgoing(fileId)); // a copy the duplicate wrote after the fate was decided
        exchange.setRouteStop(true);
        return true;
    }
}

package org.haven.web;

import java.sql.Connection;
import java.sql.SQLException;

import org.haven.store.FileRecords;
import org.haven.store.Store;

/** Every look at a held file's unmasked original (attribute values, pixels) is an audit event: who, when, what view. */
final class ViewAudit {
    private final Store store;

    ViewAudit(Store store) { this.store = store; }

    void viewed(String fileId, String user, String view) throws SQLException {
        try (Connection c = store.connection()) {
            FileRecords.insertEvent(c, fileId, "viewed-original", null, view, user);
        }
    }
}

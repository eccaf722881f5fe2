package org.haven.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

import org.haven.store.Store;

/** Default {@link DeviceDecisions}: records the decision in {@code device_decision} for the registry to pick up. */
public final class RecordedDeviceDecisions implements DeviceDecisions {
    private final Store store;

    public RecordedDeviceDecisions(Store store) { this.store = store; }

    @Override
    public void decide(String deviceSignature, String deviceId, State state, String profile, String actor, String comment) throws Exception {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement(
                 "insert into device_decision (device_signature, device_id, state, profile, actor, at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, deviceSignature);
            ps.setString(2, deviceId);
            ps.setString(3, state.name().toLowerCase());
            ps.setString(4, profile);
            ps.setString(5, actor);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }
}

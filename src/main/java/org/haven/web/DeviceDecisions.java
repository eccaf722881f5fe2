package org.haven.web;

/**
 * A reviewer's decision about a device (trust it with a profile, or block it). The lead wires this to the device
 * registry; {@link RecordedDeviceDecisions} (the default) records it in the store's {@code device_decision} table.
 */
public interface DeviceDecisions {
    enum State { TRUSTED, BLOCKED }

    void decide(String deviceSignature, String deviceId, State state, String profile, String actor, String comment) throws Exception;
}

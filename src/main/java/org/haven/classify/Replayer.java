package org.haven.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.haven.HavenHeaders;
import org.haven.ingest.Stager;
import org.haven.store.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental release: when a device becomes trusted, its held files are classified again and go the normal way
 * (de-identify, release). Pseudonyms, UIDs and date shifts are keyed and deterministic, so a replayed file comes out
 * exactly as it would have the first time.
 *
 * <p>State change, per file ({@link DeviceStore#reopen}): in one transaction the {@code quarantined} outcome row is
 * deleted (only if it is still the one seen, so two nodes reopen a file once), a {@code replayed} event records the
 * old reason and the rule now in force, and the original is moved back from {@code quarantine/<reason>/} to staging
 * before the commit (moved back again if the commit fails). Only then is the file id sent to {@code haven.classify}.
 * The file has no outcome while it travels, so it gets exactly one new one; the release path claim and the
 * outcome's primary key make any duplicate message a no-op, so nothing is released twice. The audit trail keeps the
 * whole story: {@code quarantined → replayed → classified → … → released}.
 *
 * <p>Only files held for a device reason ({@code unknown-device}, {@code device-review}, {@code device-blocked}) whose
 * <em>current</em> first matching pattern is {@code trusted} are replayed: a blocked file is replayed only once its
 * device is trusted, and a file held for another reason (unreadable, …) never.
 */
public final class Replayer {
    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);
    static final String CLASSIFY = "jms:queue:haven.classify?exchangePattern=InOnly";

    private final Workspace workspace;
    private final DeviceStore store;
    private final DeviceRegistries registries;
    private final String node;
    private final Supplier<CamelContext> camel;
    private volatile ProducerTemplate producer;
    private volatile boolean started;
    /** After a change, sweep once more on the next tick: files classified with the old registry while we replayed. */
    private volatile boolean sweepAgain;

    private final boolean enabled;

    /** {@code enabled} false (batch runs with --profile, which bypass the registry): {@link #watch()} does nothing. */
    public Replayer(Workspace workspace, DeviceStore store, DeviceRegistries registries, String node, Supplier<CamelContext> camel,
                    boolean enabled) {
        this.enabled = enabled;
        this.workspace = workspace;
        this.store = store;
        this.registries = registries;
        this.node = node;
        this.camel = camel;
    }

    /** Replays the held files whose first match is now trusted device {@code deviceId}. Returns how many were sent. */
    public int replayDevice(String deviceId, String actor) throws SQLException, IOException {
        Optional<DeviceRegistry.Device> d = registries.devices().device(deviceId);
        if (d.isEmpty()) throw new IllegalArgumentException("no device '" + deviceId + "' in the registry in force");
        if (d.get().state() != DeviceRegistry.State.TRUSTED) {
            LOG.info("replay of device {} asked by {}: it is {}, nothing to release", deviceId, actor, d.get().state().label());
            return 0;
        }
        return replay(deviceId, actor);
    }

    /** Replays every held file whose first match is now a trusted device (start-up, registry change). */
    public int replayTrusted(String actor) throws SQLException, IOException {
        return replay(null, actor);
    }

    private synchronized int replay(String onlyDevice, String actor) throws SQLException, IOException {
        DeviceRegistries.Snapshot snap = registries.current();
        int sent = 0;
        Map<String, Integer> perDevice = new HashMap<>();
        for (DeviceStore.HeldFile held : store.heldForDevice(snap.manufacturers())) {
            Optional<DeviceRegistry.Device> match = snap.devices().match(held.signature());
            if (match.isEmpty() || match.get().state() != DeviceRegistry.State.TRUSTED) continue;
            DeviceRegistry.Device device = match.get();
            if (onlyDevice != null && !device.id().equals(onlyDevice)) continue;
            if (reopen(held, device, actor)) {
                send(held.fileId(), held.board());
                sent++;
                perDevice.merge(device.id(), 1, Integer::sum);
            }
        }
        if (sent > 0) LOG.info("replay by {}: {} held files sent for release {}", actor, sent, perDevice);
        return sent;
    }

    private boolean reopen(DeviceStore.HeldFile held, DeviceRegistry.Device device, String actor) throws SQLException, IOException {
        String fileId = held.fileId();
        Path quarantined = held.location() == null ? null : workspace.quarantine().resolve(held.location()).normalize();
        if (quarantined != null && !quarantined.startsWith(workspace.quarantine().normalize())) {
            LOG.warn("file {} has a quarantine location outside the quarantine: not replayed", Stager.shortId(fileId));
            return false;
        }
        Path staged = workspace.staged(fileId);
        boolean inQuarantine = quarantined != null && Files.exists(quarantined);
        if (!inQuarantine && !Files.exists(staged)) {
            LOG.warn("file {} held as {} is neither in the quarantine nor staged: not replayed", Stager.shortId(fileId), held.reason());
            return false;
        }
        String detail = "device " + device.id() + " is trusted (" + device.source() + "); was " + held.reason() + " by " + actor;
        boolean reopened = store.reopen(fileId, held.reason(), detail, node,
            () -> { if (inQuarantine) Workspace.moveInto(quarantined, staged); },
            () -> { if (inQuarantine) Workspace.moveInto(staged, quarantined); });
        if (reopened && quarantined != null) {
            Files.deleteIfExists(quarantined.resolveSibling(fileId + ".json"));
        }
        return reopened;
    }

    private void send(String fileId, String board) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(HavenHeaders.FILE_ID, fileId);
        headers.put(HavenHeaders.BOARD, board);
        producer().sendBodyAndHeaders(CLASSIFY, "", headers);
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) producer = camel.get().createProducerTemplate();
                p = producer;
            }
        }
        return p;
    }

    /**
     * Called by the timer route (routes/replay.yaml). First call (start-up): resend files a crash left reopened but
     * unsent, then replay everything the registry in force trusts. Later calls: if devices.yaml or manufacturers.yaml
     * changed (and validates), mirror it and replay; then carry out replay requests from {@code ./run.sh replay}.
     */
    public void watch() throws SQLException, IOException {
        if (!enabled) return;
        boolean changed = registries.checkForChanges();
        if (!started) {
            for (String[] f : store.reopenedWithoutOutcome()) {
                if (Files.exists(workspace.staged(f[0]))) send(f[0], f[1]);
            }
            mirror();
            replayTrusted("start-up");
            started = true;
        } else if (changed) {
            mirror();
            replayTrusted("registry-change");
            sweepAgain = true;
        } else if (sweepAgain) {
            sweepAgain = false;
            replayTrusted("registry-change");
        }
        for (DeviceStore.ReplayRequest r : store.pendingRequests()) {
            if (!store.claimRequest(r.id(), node)) continue;
            int n;
            try {
                n = replayDevice(r.deviceId(), r.requestedBy());
            } catch (IllegalArgumentException e) {
                LOG.warn("replay request {}: {}", r.id(), e.getMessage());
                n = -1;
            }
            store.finishRequest(r.id(), n);
        }
    }

    private void mirror() {
        DeviceRegistries.Snapshot snap = registries.current();
        try {
            store.mirror(snap.devices(), snap.hash(), node);
        } catch (SQLException e) {
            LOG.warn("device registry not mirrored to the store (another node may be doing it): {}", e.getSQLState());
        }
    }
}

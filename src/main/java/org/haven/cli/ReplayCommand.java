package org.haven.cli;

import java.util.List;
import java.util.Optional;

import org.haven.app.Settings;
import org.haven.classify.DeviceRegistries;
import org.haven.classify.DeviceRegistry;
import org.haven.classify.DeviceStore;
import org.haven.deidentify.ProfileRegistry;
import org.haven.store.Store;

/**
 * {@code ./run.sh replay --device ID [--wait SECONDS]}: asks the running Haven nodes (through the store) to release
 * the held files of a device that is now trusted in config/devices.yaml. A node carries the request out within a
 * few seconds (routes/replay.yaml); this command waits for it and prints how many files were sent for release.
 * Nodes also replay on their own when devices.yaml changes; this is for "now, and tell me how many".
 */
public final class ReplayCommand implements Command {
    @Override
    public int run(List<String> args) throws Exception {
        String device = null;
        int waitSeconds = 60;
        for (int i = 0; i < args.size(); i++) {
            if (i + 1 >= args.size()) throw new UsageException(args.get(i) + " needs a value");
            switch (args.get(i)) {
                case "--device" -> device = args.get(++i);
                case "--wait" -> waitSeconds = Integer.parseInt(args.get(++i));
                default -> throw new UsageException("unknown option " + args.get(i));
            }
        }
        if (device == null) throw new UsageException("--device is required");
        Settings settings = CommandContext.settings();
        DeviceRegistries registries = DeviceRegistries.load(settings.path("haven.devices"),
            settings.path("haven.config").resolve("manufacturers.yaml"), ProfileRegistry.load(settings.path("haven.profiles")).names());
        Optional<DeviceRegistry.Device> d = registries.devices().device(device);
        if (d.isEmpty()) throw new UsageException("no device '" + device + "' in " + settings.get("haven.devices"));
        if (d.get().state() != DeviceRegistry.State.TRUSTED) {
            System.err.println("replay: device " + device + " is " + d.get().state().label() + " (" + d.get().source()
                + "); set it to trusted in devices.yaml first");
            return 1;
        }
        try (Store store = CommandContext.openStore(settings)) {
            DeviceStore devices = new DeviceStore(store);
            long id = devices.requestReplay(device, "cli:" + System.getProperty("user.name", "unknown"));
            long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                Optional<DeviceStore.ReplayRequest> r = devices.request(id);
                if (r.isPresent() && r.get().files() != null) {
                    if (r.get().files() < 0) {
                        System.err.println("replay: node " + r.get().doneBy() + " does not know device " + device + " (its registry differs?)");
                        return 1;
                    }
                    System.err.println("replay: " + r.get().files() + " held files of device " + device + " sent for release by node " + r.get().doneBy());
                    return 0;
                }
                Thread.sleep(250);
            }
            System.err.println("replay: request " + id + " queued; no running node took it within " + waitSeconds
                + " s (it runs when a node starts)");
            return 3;
        }
    }
}

package org.haven.config;

import java.util.List;

/**
 * The live rule files of a node, checked together by the timer in routes/config-watch.yaml (the device registry has
 * its own timer, routes/replay.yaml, because a registry change also replays held files).
 */
public final class ConfigWatch {
    private final List<LiveConfig<?>> configs;

    public ConfigWatch(List<LiveConfig<?>> configs) { this.configs = List.copyOf(configs); }

    /** Reloads every changed file that validates; a rejected one is logged with file:line and the old version stays. */
    public void check() {
        for (LiveConfig<?> c : configs) c.checkForChanges();
    }
}

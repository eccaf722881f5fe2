package org.haven.cli;

import java.nio.file.Path;
import java.util.Map;

import org.haven.app.Settings;
import org.haven.store.Store;

/** What every command run beside a node needs: the node's settings (HAVEN_* overrides) and a small store pool. */
final class CommandContext {
    private CommandContext() {}

    /** {@code config/haven.properties} with the environment's HAVEN_* overrides, as the node reads it. */
    static Settings settings() { return Settings.load(Path.of("config/haven.properties"), System.getenv(), Map.of()); }

    /** The node's store, two connections (a command does one thing at a time). */
    static Store openStore(Settings s) { return Store.open(s.get("haven.db.url"), s.get("haven.db.user"), s.get("haven.db.password"), 2); }
}

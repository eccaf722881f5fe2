package org.haven.config;

import java.nio.file.Path;

/**
 * A configuration file Haven cannot use. The message always names the file, the line (1-based, 0 when unknown)
 * and the problem, so an integration team can fix it without reading code.
 */
public class ConfigException extends RuntimeException {
    private final Path file;
    private final int line;

    public ConfigException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() { return file; }

    public int line() { return line; }
}

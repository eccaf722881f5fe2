package org.haven.cli;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.haven.app.Settings;

/** Lets the web tests run {@link UserCommand} with their own settings, stdin and stdout. */
public final class UserCommandAccess {
    public int run(Settings settings, String stdin, OutputStream out, List<String> args) throws Exception {
        return new UserCommand(settings, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8), false)
            .run(args);
    }
}

package org.haven.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.haven.app.Settings;
import org.haven.store.Store;
import org.haven.web.Users;

/**
 * {@code ./run.sh user add NAME --role reviewer|admin}: creates (or resets) a review UI user. The password is read
 * from stdin when stdin is not a terminal (first line), else generated and printed once. {@code user disable NAME}
 * disables a user and ends their sessions. Nothing identifying is logged; the password never is.
 */
public final class UserCommand implements Command {
    private final Settings settings;
    private final java.io.InputStream in;
    private final PrintStream out;
    private final boolean stdinIsTerminal;

    public UserCommand() {
        this(CommandContext.settings(), System.in, System.out, System.console() != null);
    }

    UserCommand(Settings settings, java.io.InputStream in, PrintStream out, boolean stdinIsTerminal) {
        this.settings = settings;
        this.in = in;
        this.out = out;
        this.stdinIsTerminal = stdinIsTerminal;
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.size() < 2) throw new UsageException("expected: add NAME --role reviewer|admin, or disable NAME");
        String verb = args.get(0), name = args.get(1);
        try (Store store = CommandContext.openStore(settings)) {
            Users users = new Users(store);
            switch (verb) {
                case "add" -> {
                    if (args.size() != 4 || !args.get(2).equals("--role")) throw new UsageException("expected: add NAME --role reviewer|admin");
                    String role = args.get(3);
                    if (!Users.ROLES.contains(role)) throw new UsageException("role must be reviewer or admin");
                    String password = null;
                    boolean generated = false;
                    if (!stdinIsTerminal) {
                        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                        if (line != null && !line.isEmpty()) password = line;
                    }
                    if (password == null) {
                        password = Users.generatePassword();
                        generated = true;
                    }
                    try {
                        users.put(name, role, password.toCharArray());
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                    out.println("user " + name + " (" + role + ") saved");
                    if (generated) out.println("password (shown once): " + password);
                }
                case "disable" -> {
                    users.disable(name);
                    out.println("user " + name + " disabled");
                }
                default -> throw new UsageException("unknown sub-command " + verb);
            }
        }
        return 0;
    }
}

package org.haven.cli;

import java.util.List;

/** One sub-command of {@code ./run.sh}. Returns the process exit code. */
public interface Command {
    int run(List<String> args) throws Exception;
}

package org.haven;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Test data that comes from a pinned, cached source rather than the repository. In CI ({@code CI=true}, where
 * {@code ./run.sh test} fetched it during setup) missing data fails the test; on a developer's machine it skips it.
 */
public final class TestData {
    private TestData() {}

    /** The name lists of {@code scripts/fetch-name-lists.sh} ({@code HAVEN_NAME_LISTS} or ~/.cache/haven/name-lists). */
    public static Path nameLists() {
        String env = System.getenv("HAVEN_NAME_LISTS");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache/haven/name-lists");
        require(Files.isRegularFile(dir.resolve("first-names.txt")) && Files.isRegularFile(dir.resolve("people-names.txt")),
            "name lists not found in " + dir + " (scripts/fetch-name-lists.sh; ./run.sh test fetches them)");
        return dir;
    }

    /** Skips locally, fails in CI. */
    public static void require(boolean present, String what) {
        if (present) return;
        if ("true".equals(System.getenv("CI"))) Assertions.fail("CI=true and required test data is missing: " + what);
        Assumptions.abort(what);
    }
}

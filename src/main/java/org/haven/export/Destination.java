package org.haven.export;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** One place released files are delivered to (from config/destinations.yaml). */
public record Destination(String id, Type type, String host, int port, String calledAeTitle, String callingAeTitle, URI url,
                          String authorizationEnv, List<String> projects, Retry retry, String where) {

    public enum Type { DICOM, STOW_RS }

    /** Back-off: initial, doubled per failed attempt up to max; after maxAttempts the row is marked failed. */
    public record Retry(Duration initial, Duration max, int maxAttempts) {
        public static final Retry DEFAULT = new Retry(Duration.ofSeconds(5), Duration.ofMinutes(10), 50);

        Duration after(int attempts) {
            long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
            Duration d = initial.multipliedBy(factor);
            return d.compareTo(max) > 0 ? max : d;
        }
    }

    /** Whether a released file (location {@code <project>/...}) goes to this destination. */
    public boolean wants(String location) {
        if (projects.isEmpty()) return true;
        int slash = location.indexOf('/');
        return slash > 0 && projects.contains(location.substring(0, slash));
    }
}

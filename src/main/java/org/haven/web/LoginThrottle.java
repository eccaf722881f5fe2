package org.haven.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-in throttling, per user name and per client address: after a few failures in a row each further attempt must
 * wait (doubling, up to a lockout of {@link #MAX_WAIT}); a locked name or address is refused before its password is
 * even checked. A success clears both. In memory: a restart forgives, which a guesser cannot trigger.
 */
final class LoginThrottle {
    static final int FREE_FAILURES_PER_USER = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;  // higher: several people may share one address (a proxy)
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    private static final int MAX_KEYS = 100_000;

    private record State(int failures, Instant until) {}

    private final Map<String, State> users = new ConcurrentHashMap<>();
    private final Map<String, State> addresses = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) { this.clock = clock; }

    /** Seconds until the name or address may try again; 0 when it may try now. */
    long waitSeconds(String user, String address) {
        Instant now = clock.instant();
        long w = 0;
        for (State s : new State[] {users.get(key(user)), addresses.get(address)}) {
            if (s != null && s.until().isAfter(now)) w = Math.max(w, Duration.between(now, s.until()).toSeconds() + 1);
        }
        return w;
    }

    /** Records a failure; returns the failures in a row for the user name. */
    int failed(String user, String address) {
        if (users.size() > MAX_KEYS) users.clear(); // a flood of invented names must not exhaust memory
        if (addresses.size() > MAX_KEYS) addresses.clear();
        State u = users.merge(key(user), next(null, FREE_FAILURES_PER_USER), (old, x) -> next(old, FREE_FAILURES_PER_USER));
        addresses.merge(address, next(null, FREE_FAILURES_PER_ADDRESS), (old, x) -> next(old, FREE_FAILURES_PER_ADDRESS));
        return u.failures();
    }

    void succeeded(String user, String address) {
        users.remove(key(user));
        addresses.remove(address);
    }

    private State next(State old, int free) {
        int failures = old == null ? 1 : old.failures() + 1;
        Duration wait = Duration.ZERO;
        if (failures >= free) {
            long seconds = 1L << Math.min(failures - free, 20);
            wait = Duration.ofSeconds(Math.min(seconds, MAX_WAIT.toSeconds()));
        }
        return new State(failures, clock.instant().plus(wait));
    }

    private static String key(String user) { return user == null ? "" : user.trim().toLowerCase(java.util.Locale.ROOT); }
}

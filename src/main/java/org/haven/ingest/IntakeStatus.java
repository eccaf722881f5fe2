package org.haven.ingest;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the drop folders hold that is not being taken, and why: counts only (never names), logged whenever they
 * change so an operator sees a paused intake, a refused symbolic link or a stuck file without reading the inbox.
 */
public final class IntakeStatus {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeStatus.class);

    /** One poll's counts. */
    public static final class Counts {
        /** Files still being written (or waiting for their marker): changes every poll, so not logged. */
        int incomplete;
        int hidden;
        int refused;
        int undeletable;
        int unreadable;
        /** Inbox files the poll is watching (size and mtime remembered until they are complete and taken). */
        int watched;
        /** Inbox files not watched yet: beyond the window of a large drop, watched as earlier ones are taken. */
        int waiting;

        @Override
        public String toString() {
            return String.format("%d hidden or temporary (left by convention), %d refused (not regular files), "
                + "%d taken but not removable, %d unreadable", hidden, refused, undeletable, unreadable);
        }
    }

    private volatile String paused;
    private volatile String last = "";
    private volatile Counts counts = new Counts();

    /** Null when intake runs; otherwise why it is paused. */
    public String paused() { return paused; }

    public Counts counts() { return counts; }

    public int refused() { return counts.refused; }

    public int hidden() { return counts.hidden; }

    public int watched() { return counts.watched; }

    public int waiting() { return counts.waiting; }

    void paused(String why) {
        if (!Objects.equals(why, paused)) {
            if (why != null) LOG.warn("intake paused: {}; files stay in the inbox until space returns", why);
            else if (paused != null) LOG.info("intake resumed: disk space is back above the watermark");
        }
        paused = why;
    }

    void update(Counts c) {
        counts = c;
        String now = c.hidden + c.refused + c.undeletable + c.unreadable == 0 ? "" : c.toString();
        if (!now.equals(last)) {
            last = now;
            if (!now.isEmpty()) LOG.info("inbox: {}", now);
        }
    }
}

package org.haven.ingest;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.haven.store.DiskSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls {@code inbox/<board>/} (any depth) and takes a file only when it is complete (the drop-folder contract, see
 * README): a regular file (never a symbolic link, device, FIFO or socket, which are refused and never followed),
 * not hidden or temporary by name ({@code .name}, {@code *.part}, {@code *.tmp}: left alone and counted), unchanged
 * in size and mtime for {@code haven.inbox.min-age-ms}, and finished by its board's convention
 * ({@code haven.inbox.complete[.<board>]}): {@code open-handles} no process has it open, {@code done-marker} a
 * {@code <name>.done} file sits beside it, {@code rename} the writer renames into place (stability only). The file is
 * staged and recorded, its id sent on, and only then removed from the inbox. Nothing here logs a file name.
 *
 * <p>A drop far larger than a poll takes is watched a window at a time: at most {@link #window} files (a poll's worth
 * being taken and those becoming stable behind it) are remembered (size, mtime, since when), so a node's memory does
 * not grow with the drop (a 10^5-file drop was ~20-30 MB of remembered paths). Files beyond the window wait in the inbox,
 * where they cost nothing, and enter it by path, going on from where the last one entered (round-robin, so none is
 * skipped); a file must still be seen unchanged for the stability window once inside. Files that stay in the window
 * long without completing (no marker yet, still open, failing) leave it while others wait, and come back later.
 * Intake also stays at most a window ahead of the pipeline: while the stage queues hold that many files, a poll takes
 * only what brings them back to it (staged files and queued messages, a few KB of heap each, would otherwise pile up
 * with a drop that arrives faster than it is processed). While they still hold a poll's worth, a busy inbox is not
 * walked at all: the walk stats every file of the drop, and would otherwise run every poll until the drop is done.
 * A poll's files are recorded in one commit and their messages sent in one broker transaction ({@link #sendsTogether});
 * only then do they leave the inbox.
 */
public final class DropFolders {
    private static final Logger LOG = LoggerFactory.getLogger(DropFolders.class);
    static final String MARKER = ".done";
    /** Exchange property (never a header, so it never travels over JMS) with the file's path relative to the inbox. */
    public static final String SOURCE = "HavenInboxSource";
    /** Exchange properties with the inbox file's path and the folder name it claims as board (not yet validated). */
    public static final String PATH = "HavenInboxPath";
    public static final String BOARD = "HavenInboxBoard";

    public enum Completion { OPEN_HANDLES, DONE_MARKER, RENAME;
        public static Completion parse(String s) {
            return switch (s.trim()) {
                case "open-handles" -> OPEN_HANDLES;
                case "done-marker" -> DONE_MARKER;
                case "rename" -> RENAME;
                default -> throw new IllegalArgumentException("haven.inbox.complete: '" + s + "' is not open-handles, done-marker or rename");
            };
        }
    }

    /** Polls a file stays in a full window without being taken before it leaves it for a waiting one (and {@link #patienceNanos}). */
    static final int PATIENCE_POLLS = 10;

    /** What a watched file looked like, since when it has looked so, and since when (which poll) it is watched. */
    private record Seen(long size, long mtime, long sinceNanos, long watchedNanos, long watchedPoll) {
        Seen(BasicFileAttributes a, long now, long poll) { this(a.size(), a.lastModifiedTime().toMillis(), now, now, poll); }

        boolean same(BasicFileAttributes a) { return a.size() == size && a.lastModifiedTime().toMillis() == mtime; }

        Seen changed(BasicFileAttributes a, long now) { return new Seen(a.size(), a.lastModifiedTime().toMillis(), now, watchedNanos, watchedPoll); }
    }

    private final Path configuredRoot;
    private Path root;
    private final Boards boards;
    private final Completion defaultCompletion;
    private final Map<String, Completion> perBoard;
    private final long minAgeNanos;
    private final int maxPerPoll;
    private final int window;
    private final long patienceNanos;
    /** Files waiting in the stage queues now, or -1 when the broker cannot say. */
    private java.util.function.LongSupplier queued = () -> -1;
    private final DiskSpace disk;
    private final Supplier<ProducerTemplate> producer;
    private final IntakeStatus status;
    /** The window: files being watched until they are complete and taken (at most {@link #window}). */
    private final Map<Path, Seen> seen = new HashMap<>();
    private final Map<Path, Seen> undeletable = new HashMap<>();
    private final Map<Path, Long> retryAt = new HashMap<>();
    private final Map<Path, Integer> failures = new HashMap<>();
    private final Set<Path> refusedLogged = new HashSet<>();
    /** The last file that entered the window from outside it: the next ones enter after it by path. */
    private Path cursor;
    private long polls;
    /** Files outside the window at the last poll: while some wait, files stuck in it make room. */
    private int waitingLastPoll;
    /** The last poll took fewer ready files than it could because the stage queues were full: its ready files are not stuck. */
    private boolean throttledLastPoll;
    /** The last walk found files to take or to watch: the next poll asks the stage queues before walking. */
    private boolean busyLastPoll;

    public DropFolders(Path root, Boards boards, Completion defaultCompletion, Map<String, Completion> perBoard, long minAgeMs,
                       long pollMs, int maxPerPoll, DiskSpace disk, Supplier<ProducerTemplate> producer, IntakeStatus status) {
        this.configuredRoot = root;
        this.boards = boards;
        this.defaultCompletion = defaultCompletion;
        this.perBoard = perBoard;
        this.minAgeNanos = minAgeMs * 1_000_000L;
        this.maxPerPoll = maxPerPoll;
        this.window = window(maxPerPoll, minAgeMs, pollMs);
        this.patienceNanos = 4 * minAgeNanos;
        this.disk = disk;
        this.producer = producer;
        this.status = status;
    }

    public IntakeStatus status() { return status; }

    /**
     * How a poll's sends run: by default each on its own; {@link #sendsTogether} puts them in one broker transaction. A
     * persistent message sent outside a transaction waits for the broker's journal to be written, one file at a time,
     * while the consumers' commits wait for the same connection and journal: a 500-file poll took ~0.5 s of waiting,
     * and a 2-core node's consumers drained the queue between polls (bench/RESULTS.md, 1 December).
     */
    private org.springframework.transaction.support.TransactionOperations sends =
        org.springframework.transaction.support.TransactionOperations.withoutTransaction();

    /** The poll's sends in one transaction of these (a JMS transaction manager on the routes' connection factory). */
    public DropFolders sendsTogether(org.springframework.transaction.support.TransactionOperations transactions) {
        this.sends = transactions;
        return this;
    }

    public org.springframework.transaction.support.TransactionOperations sends() { return sends; }

    /**
     * Files watched at once: one poll's worth being taken and, behind it, enough becoming stable (seen unchanged for
     * {@code minAgeMs}, over that many polls) that every poll can take a full poll's worth. With fewer a steady drop
     * waits on stability, not on the pipeline: with a window of twice a poll's worth a file could be taken only every
     * min-age + one poll, intake topped out near 670 files a second with the defaults, and a 2-core node's consumers
     * drained the queue and waited between polls (bench/RESULTS.md, 1 December).
     */
    static int window(int maxPerPoll, long minAgeMs, long pollMs) {
        long pollsToStable = (minAgeMs + Math.max(1, pollMs) - 1) / Math.max(1, pollMs);
        return (int) Math.min(Integer.MAX_VALUE, (long) maxPerPoll * (1 + Math.max(1, pollsToStable)));
    }

    /** Where a poll learns how many files wait in the stage queues (unknown: no limit beyond the window). */
    public DropFolders queued(java.util.function.LongSupplier queued) {
        this.queued = queued;
        return this;
    }

    /** Stages up to {@code threads} files of a poll at once (hashing and copying are I/O a node need not do one by one). */
    private java.util.concurrent.ExecutorService stagers;

    public DropFolders parallel(int threads) {
        if (threads > 1) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            stagers = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "haven-inbox-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return this;
    }

    /** One poll: called by the timer route. Never throws: one bad file must not stop intake from every board. */
    public synchronized void poll() {
        Optional<String> shortage = disk.shortage();
        status.paused(shortage.orElse(null));
        if (shortage.isPresent()) return;
        try {
            root = configuredRoot.toRealPath(); // /proc shows real paths
        } catch (IOException e) {
            return; // no inbox yet
        }
        long inQueues = busyLastPoll ? queued.getAsLong() : -1; // an idle inbox does not ask the broker
        if (inQueues >= maxPerPoll) return; // the pipeline has a poll's worth to do: no walk until it is below that
        IntakeStatus.Counts counts = new IntakeStatus.Counts();
        List<Candidate> ready = new ArrayList<>();
        polls++;
        if (waitingLastPoll > 0 && !throttledLastPoll) makeRoom();
        Entering entering = new Entering(cursor, window); // those taken this poll make room too
        Set<Path> present = new HashSet<>(); // remembered files still there (never more than is remembered)
        try {
            Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && hidden(dir)) {
                        counts.hidden++;
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    consider(file, attrs, counts, ready, present, entering);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    counts.unreadable++;
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("inbox not readable: {}", e.getClass().getSimpleName());
        }
        seen.keySet().retainAll(present);
        undeletable.keySet().retainAll(present);
        refusedLogged.retainAll(present);
        retryAt.keySet().retainAll(seen.keySet());
        failures.keySet().retainAll(seen.keySet());

        if (ready.stream().anyMatch(c -> c.completion == Completion.OPEN_HANDLES) && OpenFiles.available()) {
            Set<String> open = OpenFiles.snapshot();
            ready.removeIf(c -> {
                boolean busy = c.completion == Completion.OPEN_HANDLES && open.contains(c.path.toString());
                if (busy) counts.incomplete++;
                return busy;
            });
        }
        if (inQueues < 0 && !ready.isEmpty()) inQueues = queued.getAsLong();
        int budget = inQueues < 0 ? maxPerPoll : (int) Math.max(0, Math.min(maxPerPoll, window - inQueues));
        throttledLastPoll = budget < maxPerPoll;
        List<Candidate> batch = new ArrayList<>();
        List<Exchange> staged = new ArrayList<>();
        if (stagers == null) {
            int copied = 0;
            for (Candidate c : ready) {
                if (copied >= budget || disk.shortage().isPresent()) break;
                Exchange done = stage(c);
                batch.add(c);
                staged.add(done);
                if (done.getException() == null) copied++;
            }
        } else {
            // copied in parallel; what the poll remembers (failures, back-off, undeletable) is updated here, in order
            batch.addAll(ready.subList(0, Math.min(ready.size(), budget)));
            List<java.util.concurrent.Future<Exchange>> copies = new ArrayList<>();
            for (Candidate c : batch) copies.add(stagers.submit(() -> stage(c)));
            for (java.util.concurrent.Future<Exchange> copy : copies) {
                try {
                    staged.add(copy.get()); // stage() does not throw
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // nothing recorded or removed: the files stay in the inbox, their copies are taken again
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        recordAndSend(staged);
        for (int i = 0; i < batch.size(); i++) settle(batch.get(i), staged.get(i));
        counts.undeletable = undeletable.size();
        enter(entering, counts);
        busyLastPoll = !seen.isEmpty();
        status.update(counts);
    }

    /** Files that have been in the window for a while without being taken leave it (they enter again in turn). */
    private void makeRoom() {
        long now = System.nanoTime();
        seen.values().removeIf(s -> polls - s.watchedPoll >= PATIENCE_POLLS && now - s.watchedNanos >= patienceNanos);
    }

    /** After a poll: files from outside the window enter it (first seen now) as far as it has room, the rest wait. */
    private void enter(Entering entering, IntakeStatus.Counts counts) {
        long now = System.nanoTime();
        int entered = 0;
        for (Map.Entry<Path, BasicFileAttributes> e : entering.chosen()) {
            if (seen.size() >= window) break;
            seen.put(e.getKey(), new Seen(e.getValue(), now, polls));
            cursor = e.getKey();
            entered++;
        }
        counts.incomplete += entered; // first seen now: stable only if the next poll sees it unchanged
        counts.watched = seen.size();
        counts.waiting = entering.outside - entered;
        waitingLastPoll = counts.waiting;
    }

    /**
     * The files outside the window a poll lets in: the first {@code room} by path after the cursor, then (wrapping
     * round) the first from the start. Holds at most twice {@code room} paths, whatever the size of the drop.
     */
    private static final class Entering {
        private final Path cursor;
        private final int room;
        private final java.util.TreeMap<Path, BasicFileAttributes> after = new java.util.TreeMap<>(), wrapped = new java.util.TreeMap<>();
        int outside;

        Entering(Path cursor, int room) {
            this.cursor = cursor;
            this.room = Math.max(0, room);
        }

        void offer(Path file, BasicFileAttributes attrs) {
            outside++;
            keepFirst(cursor == null || file.compareTo(cursor) > 0 ? after : wrapped, file, attrs);
        }

        private void keepFirst(java.util.TreeMap<Path, BasicFileAttributes> first, Path file, BasicFileAttributes attrs) {
            if (first.size() < room) first.put(file, attrs);
            else if (room > 0 && file.compareTo(first.lastKey()) < 0) {
                first.pollLastEntry();
                first.put(file, attrs);
            }
        }

        List<Map.Entry<Path, BasicFileAttributes>> chosen() {
            List<Map.Entry<Path, BasicFileAttributes>> in = new ArrayList<>(after.entrySet());
            in.addAll(wrapped.entrySet());
            return in;
        }
    }

    private record Candidate(Path path, String board, String relative, Completion completion, Seen seen) {}

    private void consider(Path file, BasicFileAttributes attrs, IntakeStatus.Counts counts, List<Candidate> ready,
                          Set<Path> present, Entering entering) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        String board = boardOf(relative);
        if (hidden(file)) {
            counts.hidden++;
            return;
        }
        if (!attrs.isRegularFile()) { // symbolic link (to a file or a folder), device, FIFO, socket: never opened
            counts.refused++;
            if (refusedLogged.contains(file)) {
                present.add(file);
            } else if (refusedLogged.size() < window) { // beyond that many, refusals are counted, not logged one by one
                refusedLogged.add(file);
                present.add(file);
                LOG.warn("refused an inbox entry on board {}: {} (only regular files are taken; it is left where it is)",
                    loggable(board), attrs.isSymbolicLink() ? "symbolic link" : attrs.isOther() ? "device, FIFO or socket" : "not a regular file");
            }
            return;
        }
        Completion completion = completionOf(board);
        if (completion == Completion.DONE_MARKER && file.getFileName().toString().endsWith(MARKER)) {
            Path data = file.resolveSibling(file.getFileName().toString().substring(0, file.getFileName().toString().length() - MARKER.length()));
            if (!Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.deleteIfExists(file); // its file was taken: the marker has done its job
                } catch (IOException e) {
                    counts.undeletable++;
                }
            }
            return;
        }
        Seen stuck = undeletable.get(file);
        if (stuck != null) {
            present.add(file);
            if (stuck.same(attrs)) return; // taken already; it changes, it is taken again
            undeletable.remove(file);
        }
        Seen before = seen.get(file);
        if (before == null) { // outside the window: it may enter at the end of this poll
            entering.offer(file, attrs);
            return;
        }
        present.add(file);
        long now = System.nanoTime();
        if (!before.same(attrs)) {
            seen.put(file, before.changed(attrs, now));
            counts.incomplete++;
            return;
        }
        if (now - before.sinceNanos < minAgeNanos || System.currentTimeMillis() - attrs.lastModifiedTime().toMillis() < minAgeNanos / 1_000_000) {
            counts.incomplete++;
            return;
        }
        if (completion == Completion.DONE_MARKER && !Files.exists(marker(file), LinkOption.NOFOLLOW_LINKS)) {
            counts.incomplete++;
            return;
        }
        Long retry = retryAt.get(file);
        if (retry != null && now < retry) return;
        ready.add(new Candidate(file, board, relative, completion, before));
    }

    /**
     * The poll's copied files recorded in one commit (direct:record-dropped-files), then each id sent on
     * (direct:to-classify). A file whose record or send failed carries the exception, so {@link #settle} leaves it in
     * the inbox (its copy in staging is taken again, under the same id, at a later poll).
     */
    private void recordAndSend(List<Exchange> staged) {
        List<Exchange> copied = staged.stream().filter(e -> e.getException() == null && e.getProperty(Stager.STAGED) != null).toList();
        if (!copied.isEmpty()) {
            Exchange recorded = producer.get().request("direct:record-dropped-files", e -> e.getIn().setBody(copied));
            if (recorded.getException() != null) copied.forEach(e -> e.setException(recorded.getException()));
        }
        List<Exchange> toSend = staged.stream()
            .filter(e -> e.getException() == null && !Boolean.TRUE.equals(e.getIn().getHeader(org.haven.HavenHeaders.ALREADY_DECIDED))).toList();
        if (toSend.isEmpty()) return;
        try {
            sends.executeWithoutResult(transaction -> {
                for (Exchange e : toSend) {
                    Exchange sent = producer.get().request("direct:to-classify", s -> s.getIn().setHeaders(new java.util.HashMap<>(e.getIn().getHeaders())));
                    if (sent.getException() != null) e.setException(sent.getException());
                }
            });
        } catch (RuntimeException commitFailed) { // none of them was sent: all stay in the inbox
            toSend.forEach(e -> { if (e.getException() == null) e.setException(commitFailed); });
        }
    }

    private Exchange stage(Candidate c) {
        // path and folder name travel as exchange properties, not body or headers, which Camel's error log would print
        return producer.get().request("direct:ingest-dropped-file", e -> {
            e.setProperty(PATH, c.path);
            e.setProperty(BOARD, c.board);
            e.setProperty(SOURCE, c.relative);
        });
    }

    /** After staging: remembers a failure (back-off), or removes the file from the inbox. */
    private boolean settle(Candidate c, Exchange done) {
        if (done.getException() != null) {
            int n = failures.merge(c.path, 1, Integer::sum);
            long backOffMs = Math.min(60_000L, 500L << Math.min(n, 7));
            retryAt.put(c.path, System.nanoTime() + backOffMs * 1_000_000L);
            LOG.warn("could not take a file on board {} (attempt {}, next in {} s): {}", loggable(c.board), n, backOffMs / 1000,
                done.getException().getClass().getSimpleName());
            return false;
        }
        failures.remove(c.path);
        retryAt.remove(c.path);
        try {
            Files.deleteIfExists(c.path);
            seen.remove(c.path);
            if (c.completion == Completion.DONE_MARKER) Files.deleteIfExists(marker(c.path));
        } catch (IOException e) {
            seen.remove(c.path); // remembered as taken instead, outside the window
            undeletable.put(c.path, c.seen);
            LOG.warn("a file taken on board {} cannot be removed from the inbox ({}): it stays, and is not taken again unless it changes",
                loggable(c.board), e.getClass().getSimpleName());
        }
        return true;
    }

    String boardOf(String relative) {
        int slash = relative.indexOf('/');
        return slash > 0 ? relative.substring(0, slash) : boards.defaultBoard();
    }

    private Completion completionOf(String board) { return perBoard.getOrDefault(board, defaultCompletion); }

    private String loggable(String board) { return boards.isValid(board) ? board : Boards.INVALID; }

    private static Path marker(Path file) { return file.resolveSibling(file.getFileName() + MARKER); }

    /** Hidden or temporary by name: the convention for files a board is still writing (then renamed into place). */
    static boolean hidden(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") || name.endsWith(".part") || name.endsWith(".tmp");
    }
}

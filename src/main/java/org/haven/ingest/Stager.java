package org.haven.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;

import org.apache.camel.Exchange;
import org.haven.HavenHeaders;
import org.haven.quarantine.FileFault;
import org.haven.quarantine.Quarantine;
import org.haven.store.DiskSpace;
import org.haven.store.FileRecords;
import org.haven.store.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stage: copies an arriving file into staging under its content hash, records it, and hands its id on.
 * The drop-folder route deletes the inbox file only after this returns (the record and the staged copy are durable),
 * so a crash at any point leaves the file in the inbox or in staging, and a re-pickup finds the same id.
 * Files that cannot go further are held here at once: empty ({@code empty-file}), over {@code haven.inbox.max-bytes}
 * ({@code too-large}, moved, never read), or from a board that is not valid ({@code invalid-board}).
 */
public final class Stager {
    private static final Logger LOG = LoggerFactory.getLogger(Stager.class);

    private final Workspace workspace;
    private final FileRecords records;
    private final String node;
    private final Boards boards;
    private final long maxBytes;
    private final DiskSpace disk;
    private final Quarantine quarantine;
    private final boolean sync;

    /**
     * {@code sync} false (setting {@code haven.outgoing.sync}, off in a batch with its own store): staged copies are
     * left to the OS's write-back, as the de-identified ones are. A batch's input folder keeps every original and a
     * run that dies is run again into a new store; the service deletes the inbox file once staged and keeps the sync.
     */
    public Stager(Workspace workspace, FileRecords records, String node, Boards boards, long maxBytes, DiskSpace disk,
                  Quarantine quarantine, boolean sync) {
        this.workspace = workspace;
        this.records = records;
        this.node = node;
        this.boards = boards;
        this.maxBytes = maxBytes;
        this.disk = disk;
        this.quarantine = quarantine;
        this.sync = sync;
    }

    /**
     * From a drop folder (see {@link DropFolders}; path and claimed board are exchange properties): the file is copied
     * into staging and left under exchange property {@link #STAGED}, not yet recorded: {@link #recordDropped}
     * records a poll's files in one commit. A too-large file, which is moved out of the inbox (never read), is
     * recorded and held at once instead (no {@link #STAGED}): nothing but its record would point at it.
     */
    public void copyDroppedFile(Exchange exchange) throws IOException, SQLException {
        Staged staged = copyDropped(exchange);
        if (TOO_LARGE.equals(staged.hold())) record(exchange, staged);
        else exchange.setProperty(STAGED, staged);
    }

    private static final String TOO_LARGE = "too-large";
    private static final int COPY_CHUNK = 64 * 1024;
    /** One chunk per thread, reused file after file (intake's stagers, the batch's workers). */
    private static final ThreadLocal<byte[]> CHUNKS = ThreadLocal.withInitial(() -> new byte[COPY_CHUNK]);

    /** Exchange property: the file a drop-folder exchange copied into staging ({@link #copyDroppedFile}). */
    public static final String STAGED = "HavenStaged";

    /** A file copied into staging under its id, and what must hold it at once (null: nothing). */
    public record Staged(String fileId, String board, String source, long size, String hold, String detail) {}

    /**
     * Records the staged files of a poll (body: their exchanges, from {@link #copyDroppedFile}) in one commit, then
     * admits each: headers for {@code direct:to-classify}, a decided copy dropped,
     * a file to hold at once held. A hold that fails sets that file's exception only.
     */
    public void recordDropped(Exchange batch) throws SQLException {
        @SuppressWarnings("unchecked")
        java.util.List<Exchange> files = batch.getIn().getBody(java.util.List.class);
        java.util.List<FileRecords.Receipt> receipts = new java.util.ArrayList<>(files.size());
        for (Exchange e : files) {
            Staged s = e.getProperty(STAGED, Staged.class);
            receipts.add(new FileRecords.Receipt(s.fileId(), s.board(), s.source(), s.size()));
        }
        java.util.List<FileRecords.Arrival> arrivals = records.receiveAll(receipts, node);
        for (int i = 0; i < files.size(); i++) {
            Exchange e = files.get(i);
            try {
                admit(e, e.getProperty(STAGED, Staged.class), arrivals.get(i));
            } catch (IOException | SQLException | RuntimeException failed) {
                e.setException(failed);
            }
        }
    }

    private Staged copyDropped(Exchange exchange) throws IOException {
        Path path = exchange.getProperty(DropFolders.PATH, Path.class);
        if (path == null) throw new IOException("no file to stage");
        String source = exchange.getProperty(DropFolders.SOURCE, "", String.class);
        String board = exchange.getProperty(DropFolders.BOARD, boards.defaultBoard(), String.class);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IOException("cannot stage a file dropped on board " + loggable(board) + ": " + e.getClass().getSimpleName());
        }
        if (!attrs.isRegularFile()) throw new IOException("an entry on board " + loggable(board) + " is not a regular file");
        if (attrs.size() > maxBytes) return moveTooLarge(path, board, source, attrs);
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            return copyIn(in, board, source);
        } catch (IOException e) {
            if (e instanceof DiskSpace.LowDiskSpaceException) throw e;
            // file names in drop folders often carry patient names: never let one reach a log line
            throw new IOException("cannot stage a file dropped on board " + loggable(board) + ": " + e.getClass().getSimpleName());
        }
    }

    /** From a batch run or a test: the body is a file, the board a header. */
    public void stageLocalFile(Exchange exchange) throws IOException, SQLException {
        java.io.File file = exchange.getIn().getBody(java.io.File.class);
        if (file == null) throw new FileFault("no file to stage");
        String board = exchange.getIn().getHeader(HavenHeaders.BOARD, boards.defaultBoard(), String.class);
        try (InputStream in = Files.newInputStream(file.toPath())) {
            stage(exchange, in, board, file.getPath());
        }
    }

    /**
     * From the haven.ingest queue: the body is the file's bytes, the board a header. The bytes are staged here and
     * only the file id travels on; the message itself is consumed (and leaves the broker) in the same transaction.
     */
    public void stageMessage(Exchange exchange) throws IOException, SQLException {
        String board = exchange.getIn().getHeader(HavenHeaders.BOARD, boards.defaultBoard(), String.class);
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            stage(exchange, in, board, "jms:" + exchange.getIn().getMessageId());
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new FileFault("haven.ingest message without a body", e);
        }
    }

    /** From the DICOM receiver: the body is the received Part 10 file (in the spool), board and calling AE title headers. */
    public void stageReceivedObject(Exchange exchange) throws IOException, SQLException {
        java.io.File file = exchange.getIn().getBody(java.io.File.class);
        String board = exchange.getIn().getHeader(HavenHeaders.BOARD, String.class);
        if (file == null || board == null) throw new IOException("received object without a file or a board");
        try (InputStream in = Files.newInputStream(file.toPath())) {
            stage(exchange, in, board, "dicom:" + exchange.getIn().getHeader(HavenHeaders.CALLING_AE, "", String.class));
        }
    }

    private void stage(Exchange exchange, InputStream in, String claimedBoard, String source) throws IOException, SQLException {
        record(exchange, copyIn(in, claimedBoard, source));
    }

    /** Copies the file into staging under its content hash (durably when {@code sync}); nothing is recorded yet. */
    private Staged copyIn(InputStream in, String claimedBoard, String source) throws IOException {
        disk.require();
        boolean validBoard = boards.isValid(claimedBoard);
        String board = validBoard ? claimedBoard : Boards.INVALID;
        Workspace.ensureDirectory(workspace.staging());
        Path tmp = Workspace.temporaryFor(workspace.staging().resolve("incoming"));
        MessageDigest sha = sha256();
        long size = 0;
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                // one read and one write call per 64 KB (InputStream.transferTo's 8 KB made five of each per CT slice)
                byte[] chunk = CHUNKS.get();
                for (int n; (n = in.read(chunk)) > 0; size += n) {
                    sha.update(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
            if (sync) {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true); // durable before the record says it is here
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp); // no partial copy left behind (a full disk, a vanished source)
            throw e;
        }
        String fileId = HexFormat.of().formatHex(sha.digest());
        Workspace.moveInto(tmp, workspace.staged(fileId));
        String hold = size == 0 ? "empty-file" : size > maxBytes ? TOO_LARGE : validBoard ? null : "invalid-board";
        String detail = size == 0 ? "zero-length file" : size > maxBytes ? size + " bytes, over the limit of " + maxBytes
            : "board name not accepted (haven.boards / haven.boards.pattern)";
        return new Staged(fileId, board, source, size, hold, hold == null ? null : detail);
    }

    /**
     * Over the size limit: never read (a sparse 2 GB file would take the poller with it). It is moved, not copied,
     * into staging under an id made from what is known about it (not its content), then held as too-large.
     */
    private Staged moveTooLarge(Path path, String claimedBoard, String source, BasicFileAttributes attrs) throws IOException {
        disk.require();
        String board = boards.isValid(claimedBoard) ? claimedBoard : Boards.INVALID;
        MessageDigest sha = sha256();
        sha.update(("too-large|" + board + "|" + source + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis() + "|"
            + attrs.fileKey()).getBytes(StandardCharsets.UTF_8));
        String fileId = HexFormat.of().formatHex(sha.digest());
        Workspace.moveInto(path, workspace.staged(fileId));
        return new Staged(fileId, board, source, attrs.size(), TOO_LARGE,
            attrs.size() + " bytes, over the limit of " + maxBytes + " (haven.inbox.max-bytes); id from metadata, content not read");
    }

    private void record(Exchange exchange, Staged staged) throws IOException, SQLException {
        admit(exchange, staged, records.receive(staged.fileId(), staged.board(), staged.source(), staged.size(), node));
    }

    /** After the file is recorded: its headers for the next stage; a decided copy dropped, a file to hold held. */
    private void admit(Exchange exchange, Staged staged, FileRecords.Arrival arrival) throws IOException, SQLException {
        String fileId = staged.fileId(), board = staged.board(), hold = staged.hold();
        long size = staged.size();
        exchange.getIn().setHeader(HavenHeaders.FILE_ID, fileId);
        exchange.getIn().setHeader(HavenHeaders.BOARD, board);
        exchange.getIn().setHeader(HavenHeaders.ALREADY_DECIDED, arrival == FileRecords.Arrival.ALREADY_DECIDED);
        exchange.getIn().setBody(null);
        if (arrival == FileRecords.Arrival.ALREADY_DECIDED) {
            Files.deleteIfExists(workspace.staged(fileId)); // the decided copy lives in release or quarantine
        } else if (hold != null) {
            exchange.getIn().setHeader(HavenHeaders.REASON, hold);
            exchange.getIn().setHeader(HavenHeaders.DETAIL, staged.detail());
            quarantine.hold(exchange);
            exchange.getIn().setHeader(HavenHeaders.ALREADY_DECIDED, true);
        }
        LOG.info("received file {} on board {} ({} bytes, {}{})", shortId(fileId), board, size, arrival, hold == null ? "" : ", held: " + hold);
    }

    private String loggable(String board) { return boards.isValid(board) ? board : Boards.INVALID; }

    public static String shortId(String fileId) { return fileId.length() > 12 ? fileId.substring(0, 12) : fileId; }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

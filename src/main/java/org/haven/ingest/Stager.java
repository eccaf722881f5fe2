package org.haven.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.haven.HavenHeaders;
import org.haven.quarantine.FileFault;
import org.haven.store.FileRecords;
import org.haven.store.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stage: copies an arriving file into staging under its content hash, records it, and hands its id on.
 * The drop-folder route deletes the inbox file only after this returns (the record and the staged copy are durable),
 * so a crash at any point leaves the file in the inbox or in staging, and a re-pickup finds the same id.
 */
public final class Stager {
    private static final Logger LOG = LoggerFactory.getLogger(Stager.class);

    private final Workspace workspace;
    private final FileRecords records;
    private final String node;
    private final String defaultBoard;

    public Stager(Workspace workspace, FileRecords records, String node, String defaultBoard) {
        this.workspace = workspace;
        this.records = records;
        this.node = node;
        this.defaultBoard = defaultBoard;
    }

    /** From a drop folder: the board is the first folder under the inbox root. */
    public void stageDroppedFile(Exchange exchange) throws IOException, SQLException {
        GenericFile<?> file = exchange.getIn().getBody(GenericFile.class);
        Path path = Path.of(file.getAbsoluteFilePath());
        String relative = file.getRelativeFilePath();
        String board = exchange.getIn().getHeader(HavenHeaders.BOARD, String.class);
        if (board == null || board.isBlank()) board = boardOf(relative);
        try (InputStream in = Files.newInputStream(path)) {
            stage(exchange, in, board, relative);
        } catch (IOException e) {
            // file names in drop folders often carry patient names: never let one reach a log line
            throw new IOException("cannot stage a file dropped on board " + board + ": " + e.getClass().getSimpleName());
        }
    }

    /** From a batch run or a test: the body is a file, the board a header. */
    public void stageLocalFile(Exchange exchange) throws IOException, SQLException {
        java.io.File file = exchange.getIn().getBody(java.io.File.class);
        if (file == null) throw new FileFault("no file to stage");
        String board = exchange.getIn().getHeader(HavenHeaders.BOARD, defaultBoard, String.class);
        try (InputStream in = Files.newInputStream(file.toPath())) {
            stage(exchange, in, board, file.getPath());
        }
    }

    /** From the haven.ingest queue: the body is the file's bytes, the board a header. */
    public void stageMessage(Exchange exchange) throws IOException, SQLException {
        String board = exchange.getIn().getHeader(HavenHeaders.BOARD, defaultBoard, String.class);
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

    String boardOf(String relativePath) {
        String normalized = relativePath.replace('\\', '/');
        int slash = normalized.indexOf('/');
        return slash > 0 ? normalized.substring(0, slash) : defaultBoard;
    }

    private void stage(Exchange exchange, InputStream in, String board, String source) throws IOException, SQLException {
        Files.createDirectories(workspace.staging());
        Path tmp = Workspace.temporaryFor(workspace.staging().resolve("incoming"));
        MessageDigest sha = sha256();
        long size;
        try (DigestInputStream din = new DigestInputStream(in, sha);
             OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            size = din.transferTo(out);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true); // durable before the record says it is here
        }
        String fileId = HexFormat.of().formatHex(sha.digest());
        Workspace.moveInto(tmp, workspace.staged(fileId));
        FileRecords.Arrival arrival = records.receive(fileId, board, source, size, node);
        exchange.getIn().setHeader(HavenHeaders.FILE_ID, fileId);
        exchange.getIn().setHeader(HavenHeaders.BOARD, board);
        exchange.getIn().setHeader(HavenHeaders.ALREADY_DECIDED, arrival == FileRecords.Arrival.ALREADY_DECIDED);
        if (arrival == FileRecords.Arrival.ALREADY_DECIDED) {
            Files.deleteIfExists(workspace.staged(fileId)); // the decided copy lives in release or quarantine
        }
        exchange.getIn().setBody(null);
        LOG.info("received file {} on board {} ({} bytes, {})", shortId(fileId), board, size, arrival);
    }

    public static String shortId(String fileId) { return fileId.length() > 12 ? fileId.substring(0, 12) : fileId; }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.haven.quarantine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haven.HavenHeaders;
import org.haven.ingest.Stager;
import org.haven.store.FileRecords;
import org.haven.store.ReleaseNotes;
import org.haven.store.StageGuard;
import org.haven.store.SupersededCopies;
import org.haven.store.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a file: records that the hold has begun (event {@code holding}, with reason and detail), writes a JSON sidecar
 * with the reason and what the classifier knew, moves the original bytes to {@code quarantine/<reason>/<id>.dcm},
 * then records the outcome. Idempotent: a redelivered message finds the file already moved and the outcome already
 * recorded, or, after a crash between the move and the outcome, finishes the hold as it began ({@link StageGuard}).
 */
public final class Quarantine {
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Workspace workspace;
    private final FileRecords records;
    private final ReleaseNotes notes;
    private final String node;

    public Quarantine(Workspace workspace, FileRecords records, String node) {
        this.workspace = workspace;
        this.records = records;
        this.node = node;
        this.notes = new ReleaseNotes(workspace, records);
    }

    /** Copies the reason of a {@link QuarantineException} (or any other failure) into the headers. */
    public void reasonFromException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message in = exchange.getIn();
        if (e instanceof QuarantineException q) {
            in.setHeader(HavenHeaders.REASON, q.reason());
            in.setHeader(HavenHeaders.DETAIL, q.getMessage());
        } else {
            in.setHeader(HavenHeaders.REASON, "internal-error");
            // a FileFault's message is written to carry no identifying values; other exceptions' may, so only the class
            in.setHeader(HavenHeaders.DETAIL, e == null ? "unknown failure"
                : e instanceof FileFault ? e.getClass().getName() + ": " + e.getMessage() : e.getClass().getName());
        }
    }

    public void hold(Exchange exchange) throws IOException, SQLException {
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        String reason = safeReason(in.getHeader(HavenHeaders.REASON, "internal-error", String.class));
        String detail = in.getHeader(HavenHeaders.DETAIL, "", String.class);
        Path dir = workspace.quarantine().resolve(reason.replace(':', '/'));
        if (fileId == null || fileId.length() < 2) {
            holdMessageWithoutFile(exchange, dir, reason, detail);
            return;
        }
        // a supersede this file began and a crash cut short: the released file it replaced gets its bytes back first
        new SupersededCopies(workspace, records, node).putBackBegunBy(fileId);
        Path target = workspace.held(reason, fileId);
        Path staged = workspace.staged(fileId);
        Path sidecar = dir.resolve(fileId + ".json");
        String location;
        if (Files.exists(staged)) {
            // hold begun (store), sidecar, move, fate: a crash after the move leaves all a redelivery needs to finish
            // this hold with this reason (StageGuard) instead of classifying a staged file that is gone
            records.holding(fileId, reason, detail, node, FileRecords.takePending(exchange)); // the journey's held-back writes too
            writeSidecar(sidecar, in, fileId, reason, detail);
            try {
                Workspace.moveInto(staged, target);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(sidecar); // retried from the start: no sidecar without its original
                throw e;
            }
            location = workspace.quarantine().relativize(target).toString();
            Files.deleteIfExists(workspace.outgoing(fileId)); // a de-identified copy must not linger
            decide(exchange, fileId, reason, detail, location);
            return;
        } else if (!Files.exists(target) && records.outcome(fileId).isPresent()) {
            return; // decided elsewhere (a duplicate in flight was released or held first)
        } else if (!Files.exists(target) && new StageGuard(workspace, records, node).finishInterruptedHold(fileId)) {
            // a stage ran while another delivery (or one a crash cut short) was holding the file as another reason:
            // that hold decides, as the first to begin (this stage could not read the moved original)
            Files.deleteIfExists(workspace.outgoing(fileId));
            return;
        } else if (!Files.exists(target)) {
            // Neither staged nor quarantined, and no fate: retrying cannot bring the bytes back. Record the hold
            // without them (fail closed: never released, never looping) unless the staging folder itself is gone,
            // which is the machine's trouble (an unmounted share) and is retried.
            if (!Files.isDirectory(workspace.staging())) throw new IOException("staging folder " + workspace.staging() + " is missing");
            detail = (detail.isEmpty() ? "" : detail + "; ") + "original not found in staging";
            location = null;
            LOG.error("ALERT: file {} is held as {} but its original is neither staged nor quarantined; check the inbox, "
                + "release/ and the quarantine", Stager.shortId(fileId), reason);
        } else {
            location = workspace.quarantine().relativize(target).toString();
        }
        Files.deleteIfExists(workspace.outgoing(fileId)); // a de-identified copy must not linger
        writeSidecar(sidecar, in, fileId, reason, detail);
        decide(exchange, fileId, reason, detail, location);
    }

    /** Records the fate, with the journey's held-back audit events in the same commit. */
    private void decide(Exchange exchange, String fileId, String reason, String detail, String location) throws SQLException, IOException {
        if (records.decide(fileId, "quarantined", reason, detail, location, node, FileRecords.takePending(exchange))) {
            // the detail (device strings, parser messages) goes to the store and the sidecar, never to a log line
            LOG.info("quarantined file {}: {}", Stager.shortId(fileId), reason);
            withdrawReleasedCopy(fileId);
        }
    }

    /**
     * A release cut short by a crash (renamed into release/, killed before its claim and fate were committed) leaves
     * this file's de-identified copy on the path its release note names. If a later delivery holds the file instead,
     * that copy must not stay in release/ without a released outcome: it is withdrawn (unless another file of the
     * instance holds the path), as is the copy on any path this file holds a claim on without a fate (a delivery
     * that found its copy missing, or an earlier version's claim). Runs only after this hold recorded the fate, so a
     * released file (whose outcome is already recorded) is never touched.
     */
    private void withdrawReleasedCopy(String fileId) throws SQLException, IOException {
        for (String location : records.releaseClaimsOf(fileId)) {
            if (Files.deleteIfExists(workspace.release().resolve(location))) {
                LOG.warn("file {}: its de-identified copy left in release/ by an interrupted release was removed (held, not released)",
                    Stager.shortId(fileId));
            }
            records.releaseClaim(location, fileId);
        }
        notes.settle(fileId, null);
    }

    /**
     * A message that never became a file (no body, so no file id and no store row): the sidecar alone records it, named
     * after a hash of the message id, so the message is consumed instead of redelivered for ever.
     */
    private void holdMessageWithoutFile(Exchange exchange, Path dir, String reason, String detail) throws IOException {
        String messageId = exchange.getIn().getHeader("JMSMessageID", exchange.getIn().getMessageId(), String.class);
        String name = "message-" + sha256Hex(String.valueOf(messageId)).substring(0, 16);
        writeSidecar(dir.resolve(name + ".json"), exchange.getIn(), null, reason, detail);
        LOG.warn("quarantined a message that carried no file: {} ({})", reason, detail);
    }

    private void writeSidecar(Path path, Message in, String fileId, String reason, String detail) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("fileId", fileId);
        doc.put("reason", reason);
        doc.put("detail", detail);
        doc.put("board", in.getHeader(HavenHeaders.BOARD));
        doc.put("at", Instant.now().toString());
        doc.put("node", node);
        Map<String, Object> device = new LinkedHashMap<>();
        for (String h : new String[] {HavenHeaders.MODALITY, HavenHeaders.MANUFACTURER, HavenHeaders.MODEL, HavenHeaders.SOFTWARE,
            HavenHeaders.SOP_CLASS, HavenHeaders.TRANSFER_SYNTAX, HavenHeaders.DEVICE_ID, HavenHeaders.DEVICE_RULE, HavenHeaders.PROFILE}) {
            Object v = in.getHeader(h);
            if (v != null) device.put(h.substring("Haven".length()), v);
        }
        doc.put("device", device);
        Object repairs = in.getHeader(HavenHeaders.REPAIRS);
        if (repairs != null) doc.put("repairs", List.of(repairs.toString().split("\n")));
        Object findings = in.getHeader(HavenHeaders.FINDINGS);
        if (findings != null) doc.put("findings", JSON.readTree(findings.toString()));
        Workspace.writeWhole(path, tmp -> JSON.writeValue(tmp.toFile(), doc)); // its folder too: no original went there when the bytes are missing
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reasons become folder names: keep them to a safe alphabet. */
    static String safeReason(String reason) {
        String r = reason.toLowerCase().replaceAll("[^a-z0-9:._-]", "-");
        return r.isEmpty() ? "internal-error" : r;
    }
}

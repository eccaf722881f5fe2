package org.haven.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quarantine copies ({@code quarantine/duplicate-instance/<id>.dcm} and sidecar) of released files that a
 * preferred encoding of the same instance replaces. Under the release claim's lock a supersede is begun (committed
 * on its own, {@link FileRecords#supersedeBegun}), the loser's bytes are copied here ({@link #keep}), the winner's
 * copy is renamed onto the release path, then the claim and both fates are written in one commit.
 *
 * <p>When that commit does not happen (a fault, a crash), the store still says the loser is released there while
 * the path may hold the winner's bytes. A loser whose fate is released and whose copy is here is exactly that
 * state: {@link #putBack} renames the winner's bytes back to its outgoing copy (the sidecar names the winner) and the
 * loser's copy back onto the path, so record and bytes agree again and no copy without its record stays. It runs
 * after the releaser's own fault, before any later supersede of the path, when the winner is held and at start-up.
 */
public final class SupersededCopies {
    private static final Logger LOG = LoggerFactory.getLogger(SupersededCopies.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Workspace workspace;
    private final FileRecords records;
    private final String node;

    public SupersededCopies(Workspace workspace, FileRecords records, String node) {
        this.workspace = workspace;
        this.records = records;
        this.node = node;
    }

    /**
     * Copies the released bytes of {@code loser} here, with a sidecar naming {@code winner} (its original was dropped
     * when it was released, so its de-identified copy is what the quarantine keeps). Returns the copy's location.
     */
    public String keep(Path released, String loser, String winner, String detail) throws IOException {
        Path copy = copyOf(loser);
        Workspace.writeWhole(copy, tmp -> Files.copy(released, tmp, StandardCopyOption.REPLACE_EXISTING));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("fileId", loser);
        doc.put("reason", "duplicate-instance");
        doc.put("detail", detail);
        doc.put("supersededBy", winner);
        doc.put("at", Instant.now().toString());
        doc.put("node", node);
        doc.put("copy", "de-identified (the original was dropped when this file was first released)");
        Workspace.writeWhole(sidecarOf(loser), tmp -> JSON.writeValue(tmp.toFile(), doc));
        return workspace.quarantine().relativize(copy).toString();
    }

    /**
     * Under the claim's lock on {@code location} held by {@code holder} (in the caller's transaction): when the holder
     * is released and its copy is here, a supersede of it did not commit; the winner's bytes go back to its outgoing
     * copy (if it has no fate and no other copy), the holder's bytes back onto the path, its sidecar away. Each step
     * can be repeated, so a crash in the middle is finished by the next call. Returns whether anything was put back.
     */
    public boolean putBack(Connection c, String holder, String location) throws IOException, SQLException {
        if (!records.isReleased(c, holder)) return false;
        Path copy = copyOf(holder), sidecar = sidecarOf(holder);
        if (!Files.exists(copy)) return Files.deleteIfExists(sidecar); // a put-back cut short after the rename below
        Path target = workspace.release().resolve(location);
        String winner = Files.exists(sidecar) ? JSON.readTree(sidecar.toFile()).path("supersededBy").asText(null) : null;
        if (winner != null && FileRecords.outcome(c, winner).isEmpty() && !Files.exists(workspace.outgoing(winner)) && Files.exists(target)) {
            Workspace.moveInto(target, workspace.outgoing(winner)); // renamed onto the path, never committed: back for its redelivery
        }
        Workspace.moveInto(copy, target);
        Files.deleteIfExists(sidecar);
        FileRecords.insertEvent(c, holder, "supersede-undone", null, "a supersede of this release was not committed: its bytes put back", node);
        LOG.warn("file {}: a supersede of its release was not committed; its bytes are back on its release path",
            holder.substring(0, Math.min(12, holder.length())));
        return true;
    }

    /** {@link #putBack(Connection, String, String)}, taking the claim's lock (none to take: nothing to put back). */
    public boolean putBack(String location) throws IOException, SQLException {
        if (records.claimHolder(location).isEmpty()) return false;
        return records.underClaimLock(location, (c, holder) -> putBack(c, holder, location));
    }

    /** Before a file is held: puts back every supersede it began and did not commit (a crash, then this hold). */
    public void putBackBegunBy(String fileId) throws IOException, SQLException {
        for (String location : records.supersedesBegunBy(fileId)) putBack(location);
    }

    /** At start-up: puts back the supersedes of files still without a fate (a crash cut them short). Returns how many. */
    public int finishInterrupted() throws IOException, SQLException {
        int n = 0;
        for (String location : records.supersedesBegunByUndecided()) {
            if (putBack(location)) n++;
        }
        return n;
    }

    private Path copyOf(String fileId) { return workspace.held("duplicate-instance", fileId); }

    private Path sidecarOf(String fileId) { return copyOf(fileId).resolveSibling(fileId + ".json"); }
}

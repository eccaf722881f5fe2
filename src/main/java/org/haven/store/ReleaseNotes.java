package org.haven.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A note beside a file's outgoing copy ({@code outgoing/ab/<id>.releasing}) naming the release path the copy is
 * about to be renamed onto. The release claim and the fate are written in one commit after that rename, so a crash
 * between the two leaves a copy in release/ that the store knows nothing of; the note, written before the rename, is
 * what finds it. Whatever fate the file then meets, the note is settled: released on the noted path, it is only
 * removed; held, or released on another path, the copy on the noted path is withdrawn unless another file of the same
 * instance holds that path's claim (those bytes are its own).
 *
 * <p>A file on disk rather than a row, because writing the path to the store before the rename was a durable commit
 * of its own per released file; the note costs a small write and a rename, and is not forced to the device: it only
 * has to outlive the process (the store's own commits are not forced either, see EmbeddedH2), and on a journalling
 * file system a rename that reached the disk after it brings the note's creation with it.
 */
public final class ReleaseNotes {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseNotes.class);
    private static final String SUFFIX = ".releasing";

    private final Workspace workspace;
    private final FileRecords records;

    public ReleaseNotes(Workspace workspace, FileRecords records) {
        this.workspace = workspace;
        this.records = records;
    }

    /** The note of {@code fileId}: {@code outgoing/ab/<id>.releasing}. */
    public Path noteOf(String fileId) {
        return workspace.outgoing(fileId).resolveSibling(fileId + SUFFIX);
    }

    /**
     * Before {@code fileId}'s copy is renamed onto {@code location}: notes the path (written whole, by rename). A note
     * an earlier, interrupted journey left for another path is settled first (its copy withdrawn).
     */
    public void begin(String fileId, String location) throws IOException, SQLException {
        Optional<String> earlier = noted(fileId);
        if (earlier.isPresent() && earlier.get().equals(location)) return;
        if (earlier.isPresent()) settle(fileId, location);
        Workspace.writeWhole(noteOf(fileId), location);
    }

    /** After the file's fate was recorded as released on the noted path: the note is no longer needed. */
    public void end(String fileId) throws IOException {
        Files.deleteIfExists(noteOf(fileId));
    }

    /**
     * After the file's fate was recorded (or is being decided elsewhere): a copy an interrupted release left on the
     * noted path is withdrawn unless the path is {@code keep} (where the file is released) or another file holds its
     * claim; then the note goes. Returns whether a copy was withdrawn.
     */
    public boolean settle(String fileId, String keep) throws IOException, SQLException {
        Optional<String> noted = noted(fileId);
        if (noted.isEmpty()) return false;
        String location = noted.get();
        boolean withdrawn = false;
        if (!location.equals(keep)) {
            Path copy = workspace.release().resolve(location);
            withdrawn = records.whileUnclaimed(location, fileId, () -> Files.deleteIfExists(copy)).orElse(false);
            if (withdrawn) {
                LOG.warn("file {}: the de-identified copy an interrupted release left in release/ was withdrawn (its fate is not"
                    + " a release there)", fileId.substring(0, Math.min(12, fileId.length())));
            }
        }
        end(fileId);
        return withdrawn;
    }

    /**
     * At start-up: settles the notes of files whose fate is already recorded (a crash after the fate, before the note
     * was removed; or after a hold's fate, before its withdrawal). Notes of files still in flight wait for their
     * journey. Returns how many copies were withdrawn.
     */
    public int settleDecided() throws IOException, SQLException {
        List<Path> notes = new ArrayList<>();
        if (Files.isDirectory(workspace.outgoing())) {
            try (Stream<Path> s = Files.walk(workspace.outgoing(), 2)) {
                s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(notes::add);
            }
        }
        int withdrawn = 0;
        for (Path note : notes) {
            String name = note.getFileName().toString();
            String fileId = name.substring(0, name.length() - SUFFIX.length());
            Optional<FileRecords.Outcome> outcome = records.outcome(fileId);
            if (outcome.isEmpty()) continue;
            if (settle(fileId, outcome.get().releasedAt())) withdrawn++;
        }
        return withdrawn;
    }

    /** The path a note names; a note that does not name a release path (not a file's, or damaged) is dropped. */
    private Optional<String> noted(String fileId) throws IOException {
        Path note = noteOf(fileId);
        if (!Files.exists(note)) return Optional.empty();
        String location = Files.readString(note, StandardCharsets.UTF_8).strip();
        if (location.endsWith(".dcm") && !location.contains("..") && !location.startsWith("/") && !location.contains("\\")) {
            return Optional.of(location);
        }
        LOG.error("file {}: a release note that names no release path was removed", fileId.substring(0, Math.min(12, fileId.length())));
        Files.delete(note);
        return Optional.empty();
    }
}

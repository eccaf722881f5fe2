package org.haven.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The folders a file passes through. Files move between them by atomic rename, so a crash leaves a file either
 * where it was or where it is going, never half-written in a final place.
 * <pre>
 *   staging/ab/&lt;id&gt;.dcm     received, waiting for a fate (the original bytes)
 *   outgoing/ab/&lt;id&gt;.dcm    de-identified, waiting for verification and release
 *   release/&lt;project&gt;/...    released (researchers' side)
 *   quarantine/&lt;reason&gt;/...  held, with a JSON sidecar saying why
 * </pre>
 */
public record Workspace(Path staging, Path outgoing, Path release, Path quarantine) {

    public static Workspace under(Path root, Path release, Path quarantine) {
        return new Workspace(root.resolve("staging"), root.resolve("outgoing"), release, quarantine);
    }

    public Path staged(String fileId) { return staging.resolve(fileId.substring(0, 2)).resolve(fileId + ".dcm"); }

    public Path outgoing(String fileId) { return outgoing.resolve(fileId.substring(0, 2)).resolve(fileId + ".dcm"); }

    /** Where a hold puts the original: {@code quarantine/<reason>/<id>.dcm} (a reason {@code a:b} is the folder a/b). */
    public Path held(String reason, String fileId) { return quarantine.resolve(reason.replace(':', '/')).resolve(fileId + ".dcm"); }

    /** A temporary sibling for writing {@code target} before renaming it into place. */
    public static Path temporaryFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Thread.currentThread().getId() + "." + System.nanoTime() + ".part");
    }

    /** Writes a file's whole content into the path it is given (a temporary sibling of the target, see {@link #writeWhole}). */
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    /** Writes {@code target} whole or not at all: into a temporary sibling, renamed into place (removed if the write fails). */
    public static void writeWhole(Path target, Content content) throws IOException {
        ensureDirectory(target.getParent());
        Path tmp = temporaryFor(target);
        try {
            content.writeTo(tmp);
            moveInto(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #writeWhole(Path, Content)} of a text, in UTF-8. */
    public static void writeWhole(Path target, String text) throws IOException {
        writeWhole(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * {@link Files#createDirectories} without its cost when the folder is there, the usual case on a file's path
     * (it tries to create every time and throws, with a stack trace, and catches).
     */
    public static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) Files.createDirectories(dir);
    }

    /** Renames atomically (same file system), replacing an existing target (a redelivered message rewrites the same bytes). */
    public static void moveInto(Path source, Path target) throws IOException {
        try {
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                // the target's folder is new (its first file), or the source is missing: make the folder and try
                // once more, so a missing source still fails. The usual case, the folder there, costs one rename.
                Files.createDirectories(target.getParent());
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (AtomicMoveNotSupportedException e) {
            Path tmp = temporaryFor(target);
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(source);
        }
    }
}

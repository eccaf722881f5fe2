package org.haven.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
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

    /** Renames atomically (same file system), replacing an existing target (a redelivered message rewrites the same bytes). */
    public static void moveInto(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Path tmp = temporaryFor(target);
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(source);
        }
    }
}

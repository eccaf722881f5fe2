package org.haven.ingest;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.haven.app.Settings;

/**
 * Which board names Haven accepts. A board name comes from a drop-folder name or a message header, and both are
 * typed by people: a folder named like a patient ({@code SMITH^JOHN}) must never become a board in logs, the store,
 * sidecars or the UI. A name is valid when it is in {@code haven.board-names} (when that list is set) and matches
 * {@code haven.board-names.pattern}, or names a board of the DICOM receiver's {@code haven.boards} file (configured,
 * so trusted as written); files from anywhere else are held as {@code invalid-board} under the board {@value #INVALID}.
 */
public final class Boards {
    public static final String INVALID = "invalid-board";

    private final Set<String> listed;
    private final Pattern pattern;
    private final String defaultBoard;
    private final Set<String> configured;

    public Boards(Set<String> listed, Pattern pattern, String defaultBoard, Set<String> configured) {
        this.listed = listed;
        this.pattern = pattern;
        this.defaultBoard = defaultBoard;
        this.configured = configured;
    }

    /** From the settings, plus the names of the DICOM receiver's configured boards (none when it is off). */
    public static Boards from(Settings settings, Set<String> configured) {
        Set<String> listed = Arrays.stream(settings.get("haven.board-names").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new Boards(listed, Pattern.compile(settings.get("haven.board-names.pattern")), settings.get("haven.default-board"), configured);
    }

    public boolean isValid(String board) {
        if (board == null) return false;
        if (board.equals(defaultBoard) || configured.contains(board)) return true;
        return pattern.matcher(board).matches() && (listed.isEmpty() || listed.contains(board));
    }

    public String defaultBoard() { return defaultBoard; }
}

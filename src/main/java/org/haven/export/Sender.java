package org.haven.export;

import java.nio.file.Path;
import java.util.Map;

/** Delivers released files to one destination; the answer says, per file, null for delivered or why not. */
interface Sender {
    /** @param files file id → released file */
    Map<String, String> send(Map<String, Path> files) throws Exception;
}

package org.haven.export;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandlerWithFileName;
import com.pixelmed.network.StorageSOPClassSCU;

/**
 * C-STORE SCU (PixelMed's StorageSOPClassSCU): one association per batch, one presentation context per SOP class and
 * transfer syntax of the files (sent as they are, never transcoded), a per-file status from the PACS.
 */
final class DicomSender implements Sender {
    private final Destination destination;

    DicomSender(Destination destination) { this.destination = destination; }

    @Override
    public Map<String, String> send(Map<String, Path> files) throws Exception {
        SetOfDicomFiles set = new SetOfDicomFiles();
        Map<String, String> idByPath = new HashMap<>();
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            String path = f.getValue().toAbsolutePath().toString();
            try {
                set.add(path); // reads the file meta information: SOP class, instance and transfer syntax
                idByPath.put(path, f.getKey());
                result.put(f.getKey(), "no C-STORE response");
            } catch (RuntimeException e) {
                result.put(f.getKey(), "cannot read released file: " + e.getClass().getSimpleName());
            }
        }
        if (set.isEmpty()) return result;
        MultipleInstanceTransferStatusHandlerWithFileName handler = new MultipleInstanceTransferStatusHandlerWithFileName() {
            @Override
            public void updateStatus(int remaining, int completed, int failed, int warning, String sopInstanceUid, String fileName, boolean success) {
                String id = idByPath.get(fileName);
                if (id != null) result.put(id, success ? null : "C-STORE refused by " + destination.calledAeTitle());
            }
        };
        StorageSOPClassSCU scu = new StorageSOPClassSCU(destination.host(), destination.port(), destination.calledAeTitle(),
            destination.callingAeTitle(), set, 0, handler);
        if (scu.encounteredTrappedExceptions()) {
            result.replaceAll((id, why) -> "no C-STORE response".equals(why)
                ? "association with " + destination.calledAeTitle() + "@" + destination.host() + ":" + destination.port() + " failed" : why);
        }
        return result;
    }
}

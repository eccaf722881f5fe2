package org.haven.classify;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haven.HavenHeaders;
import org.haven.dicom.DicomHeader;
import org.haven.dicom.DicomReader;
import org.haven.dicom.UnreadableDicomException;
import org.haven.dicom.UnsupportedTransferSyntaxException;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.store.Workspace;

/**
 * Reads a staged file's header (never its pixel data), sets the device headers, and picks the de-identification
 * profile from the device registry. Anything it cannot place goes to the quarantine with a reason.
 */
public final class Classifier {
    private final Workspace workspace;
    private final FileRecords records;
    private final DeviceRegistry registry;
    private final String defaultProject;
    private final String node;
    private final String forcedProfile;

    /** {@code forcedProfile}, when not empty, bypasses the registry (batch runs with --profile). */
    public Classifier(Workspace workspace, FileRecords records, DeviceRegistry registry, String defaultProject, String node,
                      String forcedProfile) {
        this.forcedProfile = forcedProfile == null ? "" : forcedProfile;
        this.workspace = workspace;
        this.records = records;
        this.registry = registry;
        this.defaultProject = defaultProject;
        this.node = node;
    }

    public void classify(Exchange exchange) throws QuarantineException, SQLException {
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        DicomHeader header;
        try {
            header = DicomReader.readHeader(workspace.staged(fileId));
        } catch (UnsupportedTransferSyntaxException e) {
            throw new QuarantineException("unsupported-transfer-syntax", e.getMessage());
        } catch (UnreadableDicomException e) {
            throw new QuarantineException("unreadable", e.getMessage());
        }
        exchange.setProperty(HavenHeaders.DATASET, header); // parsed once: the pixel decision reads it too
        DeviceSignature signature = DeviceSignature.of(header);
        in.setHeader(HavenHeaders.MODALITY, signature.modality());
        in.setHeader(HavenHeaders.MANUFACTURER, signature.manufacturer());
        in.setHeader(HavenHeaders.MODEL, signature.model());
        in.setHeader(HavenHeaders.SOFTWARE, signature.software());
        in.setHeader(HavenHeaders.SOP_CLASS, signature.sopClassUID());
        in.setHeader(HavenHeaders.TRANSFER_SYNTAX, signature.transferSyntaxUID());
        in.setHeader(HavenHeaders.BURNED_IN, signature.burnedInAnnotation());
        in.setHeader(HavenHeaders.IMAGE_TYPE, signature.imageType());

        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("modality", signature.modality());
        facts.put("manufacturer", signature.manufacturer());
        facts.put("model", signature.model());
        facts.put("software", signature.software());
        facts.put("sopClass", signature.sopClassUID());
        facts.put("transferSyntax", signature.transferSyntaxUID());
        facts.put("deviceSignature", signature.key());

        if (signature.modality().isEmpty()) {
            records.classified(fileId, facts, node);
            throw new QuarantineException("missing-modality", "no Modality (0008,0060)");
        }
        Optional<DeviceRegistry.Device> match = forcedProfile.isEmpty() ? registry.match(signature)
            : Optional.of(new DeviceRegistry.Device("forced", null, null, null, null, DeviceRegistry.State.TRUSTED, forcedProfile, "", "--profile"));
        if (match.isEmpty()) {
            records.classified(fileId, facts, node);
            throw new QuarantineException("unknown-device", "no registry pattern matches " + signature.key());
        }
        DeviceRegistry.Device device = match.get();
        String project = device.project().isBlank() ? defaultProject : device.project();
        facts.put("deviceId", device.id());
        facts.put("deviceRule", device.source());
        facts.put("profile", device.profile());
        facts.put("project", project);
        records.classified(fileId, facts, node);
        in.setHeader(HavenHeaders.DEVICE_ID, device.id());
        in.setHeader(HavenHeaders.DEVICE_RULE, device.source());
        in.setHeader(HavenHeaders.DEVICE_STATE, device.state().name().toLowerCase());
        switch (device.state()) {
            case BLOCKED -> throw new QuarantineException("device-blocked", "device " + device.id() + " is blocked (" + device.source() + ")");
            case REVIEW -> throw new QuarantineException("device-review", "device " + device.id() + " is held for review (" + device.source() + ")");
            case TRUSTED -> {
                in.setHeader(HavenHeaders.PROFILE, device.profile());
                in.setHeader(HavenHeaders.PROJECT, project);
            }
        }
    }
}

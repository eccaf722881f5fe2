package org.haven.classify;

import java.nio.file.Files;
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
import org.haven.store.StageGuard;
import org.haven.store.Workspace;

/**
 * Reads a staged file's header (never its pixel data), sets the device headers, records the device (unknown
 * devices are registered as {@code review}), and picks the de-identification profile from the registry in force.
 * Anything it cannot place goes to the quarantine with a reason.
 */
public final class Classifier {
    /** Pixel rule id of the matching trusted device, for the pixel stage ("" when none). */
    public static final String PIXEL_RULE = HavenHeaders.PIXEL_RULE;
    /** Manufacturer and model as received (HavenManufacturer and HavenModel carry the normalised names). */
    public static final String MANUFACTURER_RAW = "HavenManufacturerRaw";
    public static final String MODEL_RAW = "HavenModelRaw";

    private final Workspace workspace;
    private final FileRecords records;
    private final DeviceRegistries registries;
    private final DeviceStore devices;
    private final String defaultProject;
    private final String node;
    private final String forcedProfile;

    /** {@code forcedProfile}, when not empty, bypasses the registry (batch runs with --profile). */
    public Classifier(Workspace workspace, FileRecords records, DeviceRegistries registries, DeviceStore devices, String defaultProject,
                      String node, String forcedProfile) {
        this.forcedProfile = forcedProfile == null ? "" : forcedProfile;
        this.workspace = workspace;
        this.records = records;
        this.registries = registries;
        this.devices = devices;
        this.defaultProject = defaultProject;
        this.node = node;
    }

    public void classify(Exchange exchange) throws QuarantineException, SQLException, java.io.IOException {
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        if (new StageGuard(workspace, records, node).stopIfDecided(exchange)) return; // duplicate or redelivered message
        DeviceRegistries.Snapshot registry = registries.current(); // one consistent version for this file
        DicomHeader header;
        try {
            header = DicomReader.readHeader(workspace.staged(fileId));
        } catch (UnsupportedTransferSyntaxException e) {
            throw new QuarantineException("unsupported-transfer-syntax", e.getMessage());
        } catch (UnreadableDicomException e) {
            throw new QuarantineException("unreadable", e.getMessage());
        }
        exchange.setProperty(HavenHeaders.DATASET, header); // parsed once: the pixel decision reads it too
        if (!header.repairs().isEmpty() && in.getHeader(HavenHeaders.REPAIRS) == null) {
            for (String r : header.repairs()) FileRecords.eventLater(exchange, fileId, "repaired", null, r, node);
            in.setHeader(HavenHeaders.REPAIRS, String.join("\n", header.repairs()));
        }
        DeviceSignature signature = DeviceSignature.of(header, registry.manufacturers());
        in.setHeader(HavenHeaders.MODALITY, signature.modality());
        in.setHeader(HavenHeaders.MANUFACTURER, signature.manufacturer());
        in.setHeader(HavenHeaders.MODEL, signature.model());
        in.setHeader(MANUFACTURER_RAW, signature.manufacturerRaw());
        in.setHeader(MODEL_RAW, signature.modelRaw());
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
        Optional<DeviceRegistry.Device> match = forcedProfile.isEmpty() ? registry.devices().match(signature)
            : Optional.of(new DeviceRegistry.Device("forced", Map.of(), DeviceRegistry.State.TRUSTED, forcedProfile, "", "", "--profile"));
        String reviewProfile = in.getHeader(HavenHeaders.PROFILE, "", String.class);
        if (Boolean.TRUE.equals(in.getHeader(HavenHeaders.REVIEW_RELEASE, Boolean.class)) && !reviewProfile.isBlank()) {
            // a reviewer released this one file: its device counts as trusted for it; pixels and the gate still apply
            String pixels = match.filter(d -> d.state() == DeviceRegistry.State.TRUSTED).map(DeviceRegistry.Device::pixels).orElse("");
            match = Optional.of(new DeviceRegistry.Device("review-release", Map.of(), DeviceRegistry.State.TRUSTED, reviewProfile,
                in.getHeader(HavenHeaders.PROJECT, "", String.class), pixels, "released by a reviewer"));
        }
        if (match.isPresent()) {
            DeviceRegistry.Device device = match.get();
            facts.put("deviceId", device.id());
            facts.put("deviceRule", device.rule());
            facts.put("profile", device.profile());
            facts.put("project", device.project().isBlank() ? defaultProject : device.project());
        }
        // the facts, the sighting and their event: written with the file's fate (or before it leaves for OCR), no commit of their own
        devices.sightedLater(exchange, fileId, facts, signature, match, node);
        if (match.isEmpty()) {
            throw new QuarantineException("unknown-device", "no registry pattern matches " + signature.key() + asReceived(signature)
                + " (device " + signature.id().substring(0, 12) + " registered for review)");
        }
        DeviceRegistry.Device device = match.get();
        in.setHeader(HavenHeaders.DEVICE_ID, device.id());
        in.setHeader(HavenHeaders.DEVICE_RULE, device.rule());
        in.setHeader(HavenHeaders.DEVICE_STATE, device.state().label());
        switch (device.state()) {
            case BLOCKED -> throw new QuarantineException("device-blocked", "device " + device.id() + " is blocked (" + device.rule() + ")");
            case REVIEW -> throw new QuarantineException("device-review", "device " + device.id() + " is held for review (" + device.rule() + ")");
            case TRUSTED -> {
                in.setHeader(HavenHeaders.PROFILE, device.profile());
                in.setHeader(HavenHeaders.PROJECT, facts.get("project"));
                in.setHeader(PIXEL_RULE, device.pixels());
            }
        }
    }

    /** The raw spellings when normalisation changed them, e.g. {@code [as received: GE MEDICAL SYSTEMS|LightSpeed16]}. */
    static String asReceived(DeviceSignature s) {
        if (s.manufacturer().equals(s.manufacturerRaw()) && s.model().equals(s.modelRaw())) return "";
        return " [as received: " + s.manufacturerRaw() + "|" + s.modelRaw() + "]";
    }
}

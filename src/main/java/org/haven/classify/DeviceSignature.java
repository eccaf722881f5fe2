package org.haven.classify;

import com.pixelmed.dicom.TagFromName;
import org.haven.dicom.DicomHeader;

/**
 * What made a file: modality, manufacturer, model and software, as received (trimmed, spaces collapsed). The
 * signature is not identifying and is what the device registry matches on.
 */
public record DeviceSignature(String modality, String manufacturer, String model, String software, String sopClassUID,
                              String transferSyntaxUID, String burnedInAnnotation, String imageType) {

    public static DeviceSignature of(DicomHeader header) {
        return new DeviceSignature(
            clean(header.text(TagFromName.Modality)),
            clean(header.text(TagFromName.Manufacturer)),
            clean(header.text(TagFromName.ManufacturerModelName)),
            clean(header.texts(TagFromName.SoftwareVersions)),
            clean(header.text(TagFromName.SOPClassUID)),
            header.layout().transferSyntaxUID(),
            clean(header.text(TagFromName.BurnedInAnnotation)),
            clean(header.texts(TagFromName.ImageType)));
    }

    /** Stable text form, e.g. {@code CT|GE MEDICAL SYSTEMS|LightSpeed16|LightSpeedverrel}. */
    public String key() { return modality + "|" + manufacturer + "|" + model + "|" + software; }

    static String clean(String s) { return s == null ? "" : s.trim().replaceAll("\\s+", " "); }
}

package org.haven.classify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import org.haven.dicom.DicomHeader;

/**
 * What made a file. Manufacturer and model are normalised through {@link Manufacturers} (the raw spellings are kept
 * beside them); the other values are as received, trimmed with spaces collapsed. The device registry matches on all
 * of it; the <em>signature</em> ({@link #key()}: modality, manufacturer, model, software) is what identifies a device
 * in the store. Nothing here identifies a patient.
 *
 * @param privateCreators the private creator strings present, sorted, distinct, joined with {@code \}
 * @param imageSize       Rows×Columns as {@code 512x512}, "" when absent
 */
public record DeviceSignature(String modality, String manufacturer, String manufacturerRaw, String model, String modelRaw,
                              String software, String stationName, String privateCreators, String imageSize,
                              String sopClassUID, String transferSyntaxUID, String burnedInAnnotation, String imageType) {
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    public static DeviceSignature of(DicomHeader header, Manufacturers table) {
        TreeSet<String> creators = new TreeSet<>();
        for (AttributeTag tag : header.attributes().keySet()) {
            if (tag.isPrivateCreator()) {
                String v = clean(Attribute.getSingleStringValueOrEmptyString(header.attributes(), tag));
                if (!v.isEmpty()) creators.add(v);
            }
        }
        String rows = clean(header.text(TagFromName.Rows));
        String cols = clean(header.text(TagFromName.Columns));
        return of(header.text(TagFromName.Modality), header.text(TagFromName.Manufacturer), header.text(TagFromName.ManufacturerModelName),
            header.texts(TagFromName.SoftwareVersions), header.text(TagFromName.StationName), String.join("\\", creators),
            rows.isEmpty() && cols.isEmpty() ? "" : rows + "x" + cols, header.text(TagFromName.SOPClassUID),
            header.layout().transferSyntaxUID(), header.text(TagFromName.BurnedInAnnotation), header.texts(TagFromName.ImageType), table);
    }

    /** From stored facts (raw manufacturer and model), normalised with the current table. */
    public static DeviceSignature of(String modality, String manufacturerRaw, String modelRaw, String software, String station,
                                     String privateCreators, String imageSize, String sopClass, String transferSyntax,
                                     String burnedIn, String imageType, Manufacturers table) {
        String maker = table.manufacturer(manufacturerRaw);
        return new DeviceSignature(clean(modality), maker, clean(manufacturerRaw), table.model(maker, modelRaw), clean(modelRaw),
            clean(software), clean(station), clean(privateCreators), clean(imageSize), clean(sopClass), transferSyntax == null ? "" : transferSyntax,
            clean(burnedIn), clean(imageType));
    }

    /** Stable text form of the normalised signature, e.g. {@code CT|GE|LightSpeed 16|LightSpeedverrel}. */
    public String key() { return modality + "|" + manufacturer + "|" + model + "|" + software; }

    /** SHA-256 (hex) of {@link #key()}: the device's id in the store. */
    public String id() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String clean(String s) { return s == null ? "" : WHITESPACE.matcher(s.trim()).replaceAll(" "); }
}

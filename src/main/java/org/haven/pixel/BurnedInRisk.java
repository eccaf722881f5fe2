package org.haven.pixel;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

/**
 * Fail-closed screen for burned-in text, from the header alone. The header cannot prove pixels clean:
 * BurnedInAnnotation NO does not lower the risk of an ultrasound, a secondary capture or a screenshot.
 *
 * <p>At risk when any of:
 * <ul>
 * <li>BurnedInAnnotation (0028,0301) is YES;</li>
 * <li>Modality is one that usually carries burned-in text: US, SC, OT, XA, RF, ES, XC;</li>
 * <li>the SOP class is a secondary capture (1.2.840.10008.5.1.4.1.1.7 and .7.1–.7.4), an ultrasound image
 *     (…1.1.6.1, …1.1.6.2, …1.1.3.1) or a video/visible-light image (…1.1.77.1.x);</li>
 * <li>ImageType says SECONDARY on a projection modality (DX, CR, MG, IO, PX), or any value of ImageType names a
 *     screen capture or report (SCREEN SAVE, SCREENSHOT, SCREEN CAPTURE, REPORT);</li>
 * <li>a DERIVED or SECONDARY CT, PT, NM or MR image whose ImageType or SeriesDescription says DOSE, REPORT, SCREEN,
 *     PROTOCOL or SUMMARY: dose screens (Philips DERIVED\SECONDARY\DOSE_INFO, GE "Dose Report", Siemens "Patient
 *     Protocol") are pictures of text with the patient's name on them.</li>
 * <li>an overlay plane (60xx) that will be released has content: OverlayData with any bit set, or an overlay embedded
 *     in the pixel data's high bits (declared by OverlayBitsAllocated &gt; 1; retired, and its content cannot be seen
 *     in the header, so it counts as soon as it is declared). Viewers draw overlays over the image, and scanners and
 *     3D workstations put names, dates and annotations in them. An all-zero overlay adds nothing.</li>
 * </ul>
 * Overlay data the profile removes (basic and research: (60xx,3000) X) is no risk: {@link #assess(AttributeList, boolean)}
 * is told whether it is released; embedded overlays stay in the pixels whatever the profile says.
 * A device rule with {@code risk: high} raises the risk further in {@link PixelPolicy}. Other DERIVED\SECONDARY
 * CT/MR reformats stay LOW: the reformatting software does not add text to the pixels.
 */
public final class BurnedInRisk {

    static final Set<String> MODALITIES = Set.of("US", "SC", "OT", "XA", "RF", "ES", "XC");
    static final Set<String> PROJECTION = Set.of("DX", "CR", "MG", "IO", "PX");
    static final String SC_ROOT = "1.2.840.10008.5.1.4.1.1.7";
    static final Set<String> SOP_CLASSES = Set.of(
            SC_ROOT, SC_ROOT + ".1", SC_ROOT + ".2", SC_ROOT + ".3", SC_ROOT + ".4",
            "1.2.840.10008.5.1.4.1.1.6.1",  // US Image
            "1.2.840.10008.5.1.4.1.1.6.2",  // Enhanced US Volume
            "1.2.840.10008.5.1.4.1.1.3.1"); // US Multi-frame Image
    static final String VISIBLE_LIGHT_ROOT = "1.2.840.10008.5.1.4.1.1.77.1.";
    static final List<String> SCREEN_WORDS = List.of("SCREEN SAVE", "SCREENSHOT", "SCREEN CAPTURE", "REPORT");
    static final Set<String> CROSS_SECTIONAL = Set.of("CT", "PT", "NM", "MR");
    static final List<String> TEXT_PAGE_WORDS = List.of("DOSE", "REPORT", "SCREEN", "PROTOCOL", "SUMMARY");

    private BurnedInRisk() {}

    /** The screen with overlay data counted as released (fail closed when the profile is not known). */
    public static Risk assess(AttributeList header) { return assess(header, true); }

    /** @param overlayDataReleased the profile keeps OverlayData (60xx,3000), e.g. the Clean Graphics option */
    public static Risk assess(AttributeList header, boolean overlayDataReleased) {
        Risk r = assessImage(header);
        if (r.atRisk()) return r;
        Risk overlay = overlays(header, overlayDataReleased);
        return overlay == null ? r : overlay;
    }

    /** At risk for the first overlay plane with content, else null (reasons name the group, never the content). */
    static Risk overlays(AttributeList header, boolean overlayDataReleased) {
        for (OverlayPlanes.Plane p : OverlayPlanes.of(header)) {
            if (p.embedded()) return Risk.atRisk("overlay " + p.name() + " embedded in the pixel data (bit " + p.bitPosition() + ")");
            if (!overlayDataReleased) continue;
            try {
                if (OverlayPlanes.anyContent(header, p)) return Risk.atRisk("overlay " + p.name() + " has content");
            } catch (UnsupportedPixelsException e) {
                return Risk.atRisk("overlay " + p.name() + " cannot be read: " + e.getMessage());
            }
        }
        return null;
    }

    /**
     * The screen of the image itself, overlays aside. Library rules scoped to "at risk" images use this: an overlay on
     * a CT slice must not make a broad rule blank boxes in the slice (OCR reads the overlay instead).
     */
    static Risk assessImage(AttributeList header) {
        Object[] m = MATCHING.get();
        if (m != null && m[0] == header) return (Risk) m[1];
        return assessImageNow(header);
    }

    /** The header being matched against the pixel rules on this thread, and its image risk (see {@link #imageAssessedOnce}). */
    private static final ThreadLocal<Object[]> MATCHING = new ThreadLocal<>();

    /**
     * Runs {@code work} (matching the pixel rules) with the image risk of {@code header} assessed once: about a
     * hundred library rules test {@code at-risk}, and the header does not change while they are matched.
     */
    static <T> T imageAssessedOnce(AttributeList header, java.util.function.Supplier<T> work) {
        Object[] outer = MATCHING.get();
        MATCHING.set(new Object[] {header, assessImageNow(header)});
        try {
            return work.get();
        } finally {
            if (outer == null) MATCHING.remove(); else MATCHING.set(outer);
        }
    }

    private static Risk assessImageNow(AttributeList header) {
        String burned = value(header, TagFromName.BurnedInAnnotation);
        if (burned.equals("YES")) return Risk.atRisk("BurnedInAnnotation=YES");

        String modality = value(header, TagFromName.Modality);
        if (MODALITIES.contains(modality)) return Risk.atRisk("Modality=" + modality);

        String sopClass = value(header, TagFromName.SOPClassUID);
        if (sopClass.isEmpty()) sopClass = value(header, TagFromName.MediaStorageSOPClassUID);
        if (SOP_CLASSES.contains(sopClass) || sopClass.startsWith(VISIBLE_LIGHT_ROOT)) return Risk.atRisk("SOPClassUID=" + sopClass);

        String[] imageType = strings(header, TagFromName.ImageType);
        for (int i = 0; i < imageType.length; i++) {
            String v = imageType[i];
            if (i == 1 && v.equals("SECONDARY") && PROJECTION.contains(modality)) return Risk.atRisk("ImageType SECONDARY on " + modality);
            for (String w : SCREEN_WORDS) {
                if (v.contains(w)) return Risk.atRisk("ImageType contains " + w);
            }
        }
        boolean derived = imageType.length > 0 && imageType[0].equals("DERIVED") || imageType.length > 1 && imageType[1].equals("SECONDARY");
        if (derived && CROSS_SECTIONAL.contains(modality)) {
            String description = value(header, TagFromName.SeriesDescription);
            for (String w : TEXT_PAGE_WORDS) {
                // the reason names our word, never the header's value (a description can carry anything)
                for (String v : imageType) if (v.contains(w)) return Risk.atRisk("derived " + modality + " image, ImageType says " + w);
                if (description.contains(w)) return Risk.atRisk("derived " + modality + " image, SeriesDescription says " + w);
            }
        }
        return Risk.low(modality.isEmpty() ? "no burned-in indicators" : "Modality=" + modality + ", no burned-in indicators");
    }

    private static String value(AttributeList h, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(h, tag).trim().toUpperCase(Locale.ROOT);
    }

    private static String[] strings(AttributeList h, com.pixelmed.dicom.AttributeTag tag) {
        String[] v = Attribute.getStringValues(h, tag);
        if (v == null) return new String[0];
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] == null ? "" : v[i].trim().toUpperCase(Locale.ROOT);
        return out;
    }
}

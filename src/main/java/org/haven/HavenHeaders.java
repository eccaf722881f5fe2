package org.haven;

/**
 * Message headers that carry a file through the stages. Values are never identifying: file ids are content hashes,
 * and device facts (modality, vendor, model) describe machines, not people.
 */
public final class HavenHeaders {
    public static final String FILE_ID = "HavenFileId";
    public static final String BOARD = "HavenBoard";
    /** Calling AE title of the board's PACS that sent a file over the DICOM network. */
    public static final String CALLING_AE = "HavenCallingAe";
    public static final String REASON = "HavenReason";
    public static final String DETAIL = "HavenDetail";
    public static final String MODALITY = "HavenModality";
    public static final String MANUFACTURER = "HavenManufacturer";
    public static final String MODEL = "HavenModel";
    public static final String SOFTWARE = "HavenSoftware";
    public static final String SOP_CLASS = "HavenSopClass";
    public static final String TRANSFER_SYNTAX = "HavenTransferSyntax";
    public static final String BURNED_IN = "HavenBurnedInAnnotation";
    public static final String IMAGE_TYPE = "HavenImageType";
    public static final String DEVICE_ID = "HavenDeviceId";
    public static final String DEVICE_RULE = "HavenDeviceRule";
    public static final String DEVICE_STATE = "HavenDeviceState";
    public static final String PROFILE = "HavenProfile";
    public static final String PROJECT = "HavenProject";
    public static final String RELEASE_PATH = "HavenReleasePath";
    public static final String PSEUDONYM = "HavenPseudonym";
    /** Pixel decision made in classify: PASS or REDACT, the rule id, and whether the OCR stage must look. */
    public static final String PIXEL_ACTION = "HavenPixelAction";
    public static final String PIXEL_RULE = "HavenPixelRule";
    public static final String OCR = "HavenOcr";
    /** Transfer syntax of the output when blanking had to change it (JPEG lossless/2000 → explicit LE). */
    public static final String TRANSFER_SYNTAX_OUT = "HavenTransferSyntaxOut";
    /** Verification findings (JSON) of a file the gate holds. */
    public static final String FINDINGS = "HavenFindings";
    /** Safe repairs made while reading the file (one per line, attributes named, never values): audit and sidecar. */
    public static final String REPAIRS = "HavenRepairs";
    /** A reviewer released this one file from the quarantine: its device counts as trusted for it (with HavenProfile). */
    public static final String REVIEW_RELEASE = "HavenReviewRelease";
    /** Boxes a reviewer drew for this one file (JSON list of {x, y, width, height}), blanked on top of the device's pixel rule. */
    public static final String FILE_BOXES = "HavenFileBoxes";
    /** Set when the same content was already decided: the ingest route stops there. */
    public static final String ALREADY_DECIDED = "HavenAlreadyDecided";

    /** Exchange property (never a message header) holding the parsed DicomHeader a stage's beans share. */
    public static final String DATASET = "HavenDataset";

    /**
     * Exchange property (never a message header): the source file's identifiers ({@code text.KnownIdentifiers}),
     * gathered by the de-identifier from the data set it parsed. When de-identify and verify run in one process on
     * one exchange, the gate uses them instead of parsing the staged original again; across a JMS hop properties do
     * not travel and the gate parses the original itself.
     */
    public static final String SOURCE_IDENTIFIERS = "HavenSourceIdentifiers";

    private HavenHeaders() {}
}

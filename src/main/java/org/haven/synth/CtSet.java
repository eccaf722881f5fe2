package org.haven.synth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Random;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/**
 * Plain CT series for the benchmark ({@code synth --ct}): every file a clean, valid GE CT image (a device the registry
 * trusts), so each tool does its ordinary work on it and nothing is held. {@code small} files are 128 x 128 (about
 * 39 KB), the others 512 x 512 (about 531 KB); the header is about 6.4 KB like a scanner's (GE private blocks
 * included). Deterministic: the same seed writes the same bytes. Layout: OUT/P0001/S01/IMG00001.dcm; a patient's
 * files are one study, in series of at most 50 slices.
 */
public final class CtSet {
    static final int SLICES_PER_SERIES = 50;
    private static final DicomDictionary DICT = DicomDictionary.StandardDictionary;
    private static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final String[] KERNELS = {"STANDARD", "SOFT", "BONE", "LUNG"};
    private static final String[] STUDIES = {"CT HEAD W/O CONTRAST", "CT CHEST ABDOMEN PELVIS WITH CONTRAST", "CT KUB"};

    private final long seed;
    private final int matrix;

    public CtSet(long seed, boolean small) {
        this.seed = seed;
        this.matrix = small ? 128 : 512;
    }

    /** Writes {@code files} files spread evenly over {@code patients} patients; returns the bytes written. */
    public long write(int files, int patients, Path out) throws IOException {
        long bytes = 0;
        int written = 0;
        for (int p = 0; p < patients; p++) {
            int mine = files / patients + (p < files % patients ? 1 : 0);
            Random r = new Random(seed * 1_000_003L + p);
            Patient patient = new Patient(r, p);
            short[] base = null;
            for (int i = 0; i < mine; i++) {
                int series = i / SLICES_PER_SERIES;
                if (i % SLICES_PER_SERIES == 0) base = phantom(r);
                Path file = out.resolve(String.format("P%04d/S%02d/IMG%05d.dcm", p + 1, series + 1, i + 1));
                Files.createDirectories(file.getParent());
                bytes += writeOne(file, patient, p, series, i, base);
                written++;
            }
        }
        if (written != files) throw new IllegalStateException("wrote " + written + " of " + files);
        return bytes;
    }

    private record Patient(String name, String id, String birth, String sex, String accession, String studyUid,
                           String studyDate, String frameUid, String study, String kernel, String[] seriesUids) {
        Patient(Random r, int index) {
            this(Fakes.pick(r, Fakes.SURNAMES).toUpperCase() + "^" + Fakes.pick(r, r.nextBoolean() ? Fakes.MALE : Fakes.FEMALE).toUpperCase(),
                String.format("H%07d", 1_000_000 + index), LocalDate.of(1930 + r.nextInt(70), 1 + r.nextInt(12), 1 + r.nextInt(28)).toString().replace("-", ""),
                r.nextBoolean() ? "M" : "F", "RA" + Fakes.digits(r, 8), uid(r),
                LocalDate.of(2024, 1, 1).plusDays(r.nextInt(700)).toString().replace("-", ""), uid(r),
                Fakes.pick(r, java.util.List.of(STUDIES)), KERNELS[r.nextInt(KERNELS.length)], uids(r, 64));
        }
    }

    private static String[] uids(Random r, int n) {
        String[] u = new String[n];
        for (int i = 0; i < n; i++) u[i] = uid(r);
        return u;
    }

    /** A 2.25 UID from 120 random bits of the generator: unique per file, the same for the same seed. */
    private static String uid(Random r) {
        byte[] b = new byte[15];
        r.nextBytes(b);
        return "2.25." + new BigInteger(1, b);
    }

    /** A water cylinder in air with noise (CT numbers + 1024), generated once per series. */
    private short[] phantom(Random r) {
        short[] px = new short[matrix * matrix];
        double c = matrix / 2.0, rad = matrix * 0.42;
        for (int y = 0; y < matrix; y++) {
            for (int x = 0; x < matrix; x++) {
                double d = Math.hypot(x - c, y - c);
                int v = d < rad ? 1024 + (d > rad - 3 ? 400 : 0) : 24;
                px[y * matrix + x] = (short) (v + r.nextInt(20));
            }
        }
        return px;
    }

    private long writeOne(Path file, Patient p, int patient, int series, int index, short[] base) throws IOException {
        Random r = new Random((seed * 31 + patient) * 1_000_003L + index);
        AttributeList l = new AttributeList();
        try {
            put(l, "SpecificCharacterSet", "ISO_IR 100");
            put(l, "ImageType", "ORIGINAL", "PRIMARY", "AXIAL");
            put(l, "InstanceCreationDate", p.studyDate);
            put(l, "InstanceCreationTime", "101500");
            put(l, "SOPClassUID", CT_IMAGE);
            put(l, "SOPInstanceUID", uid(r));
            for (String k : new String[] {"StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate"}) put(l, k, p.studyDate);
            for (String k : new String[] {"StudyTime", "SeriesTime", "AcquisitionTime", "ContentTime"}) put(l, k, "101" + (100 + series));
            put(l, "AccessionNumber", p.accession);
            put(l, "Modality", "CT");
            put(l, "Manufacturer", "GE MEDICAL SYSTEMS");
            put(l, "InstitutionName", "Royal Infirmary of Edinburgh");
            put(l, "InstitutionAddress", "51 Little France Crescent, Edinburgh EH16 4SA");
            put(l, "ReferringPhysicianName", "MACLEOD^FIONA^^DR");
            put(l, "StationName", "RIECT01");
            put(l, "StudyDescription", p.study);
            put(l, "SeriesDescription", "AX " + (series % 2 == 0 ? "5mm" : "1.25mm") + " " + p.kernel);
            put(l, "InstitutionalDepartmentName", "Radiology");
            put(l, "OperatorsName", "RAD^TECH");
            put(l, "ManufacturerModelName", "Revolution CT");
            put(l, "PatientName", p.name);
            put(l, "PatientID", p.id);
            put(l, "IssuerOfPatientID", "NHS LOTHIAN");
            put(l, "PatientBirthDate", p.birth);
            put(l, "PatientSex", p.sex);
            put(l, "PatientAge", String.format("%03dY", Math.max(1, 2024 - Integer.parseInt(p.birth.substring(0, 4)))));
            put(l, "PatientWeight", "72");
            put(l, "BodyPartExamined", "CHEST");
            put(l, "SliceThickness", series % 2 == 0 ? "5" : "1.25");
            put(l, "KVP", "120");
            put(l, "DataCollectionDiameter", "500");
            put(l, "DeviceSerialNumber", "CT" + Fakes.digits(r, 6));
            put(l, "SoftwareVersions", "revo_ct_22BC.50");
            put(l, "ProtocolName", "5.1 CHEST ABDO PELVIS");
            put(l, "ReconstructionDiameter", "360");
            put(l, "DistanceSourceToDetector", "1085.6");
            put(l, "DistanceSourceToPatient", "625.6");
            put(l, "GantryDetectorTilt", "0");
            put(l, "TableHeight", "160.5");
            put(l, "RotationDirection", "CW");
            put(l, "ExposureTime", "600");
            put(l, "XRayTubeCurrent", String.valueOf(200 + r.nextInt(200)));
            put(l, "Exposure", "12");
            put(l, "FilterType", "BODY FILTER");
            put(l, "GeneratorPower", "48");
            put(l, "FocalSpots", "0.7");
            put(l, "ConvolutionKernel", p.kernel);
            put(l, "PatientPosition", "FFS");
            put(l, "StudyInstanceUID", p.studyUid);
            put(l, "SeriesInstanceUID", p.seriesUids[series % p.seriesUids.length]);
            put(l, "StudyID", p.accession.substring(2, 7));
            put(l, "SeriesNumber", String.valueOf(series + 2));
            put(l, "AcquisitionNumber", "1");
            put(l, "InstanceNumber", String.valueOf(index % SLICES_PER_SERIES + 1));
            double z = -100.0 - (index % SLICES_PER_SERIES) * 5.0;
            put(l, "ImagePositionPatient", "-180", "-180", String.valueOf(z));
            put(l, "ImageOrientationPatient", "1", "0", "0", "0", "1", "0");
            put(l, "FrameOfReferenceUID", p.frameUid);
            put(l, "PositionReferenceIndicator", "SN");
            put(l, "SliceLocation", String.valueOf(z));
            put(l, "SamplesPerPixel", "1");
            put(l, "PhotometricInterpretation", "MONOCHROME2");
            put(l, "Rows", String.valueOf(matrix));
            put(l, "Columns", String.valueOf(matrix));
            String spacing = String.valueOf(360.0 / matrix);
            put(l, "PixelSpacing", spacing, spacing);
            put(l, "BitsAllocated", "16");
            put(l, "BitsStored", "16");
            put(l, "HighBit", "15");
            put(l, "PixelRepresentation", "0");
            put(l, "WindowCenter", "40");
            put(l, "WindowWidth", "400");
            put(l, "RescaleIntercept", "-1024");
            put(l, "RescaleSlope", "1");
            put(l, "RescaleType", "HU");
            SequenceAttribute code = new SequenceAttribute(tag("ProcedureCodeSequence"));
            AttributeList item = new AttributeList();
            put(item, "CodeValue", "CTCAPC");
            put(item, "CodingSchemeDesignator", "99RIE");
            put(item, "CodeMeaning", p.study);
            code.addItem(item);
            l.put(code);
            privateBlocks(l, r, index);
            short[] px = base.clone();
            for (int i = 0; i < 64; i++) px[r.nextInt(px.length)] += (short) r.nextInt(8); // no two slices identical
            OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
            pixels.setValues(px);
            l.put(pixels);
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "HAVENSYNTH");
        } catch (DicomException e) {
            throw new IllegalStateException("CT file " + file, e);
        }
        try {
            l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (DicomException e) {
            throw new IOException("cannot write " + file, e);
        }
        return Files.size(file);
    }

    /**
     * GE private blocks as a Revolution CT writes them: a few acquisition parameters PS3.15's safe list keeps, and a
     * 4 KB opaque block (not on the list: removed) standing for the rest of a scanner's private header.
     */
    private static void privateBlocks(AttributeList l, Random r, int index) throws DicomException {
        putPrivate(l, new AttributeTag(0x0009, 0x0010), "GEMS_IDEN_01");
        putPrivate(l, new AttributeTag(0x0019, 0x0010), "GEMS_ACQU_01");
        putPrivate(l, new AttributeTag(0x0043, 0x0010), "GEMS_PARM_01");
        putPrivate(l, new AttributeTag(0x0009, 0x1001), "GE_GENESIS_FF");
        Attribute speed = new com.pixelmed.dicom.DecimalStringAttribute(new AttributeTag(0x0019, 0x1023));
        speed.addValue("39.375");
        l.put(speed);
        Attribute rot = new com.pixelmed.dicom.DecimalStringAttribute(new AttributeTag(0x0019, 0x1027));
        rot.addValue("0.5");
        l.put(rot);
        Attribute pitch = new com.pixelmed.dicom.ShortStringAttribute(new AttributeTag(0x0043, 0x1027));
        pitch.addValue("/0.984:1");
        l.put(pitch);
        byte[] opaque = new byte[4096];
        for (int i = 0; i < opaque.length; i += 4) { opaque[i] = (byte) index; opaque[i + 1] = (byte) (i >> 4); }
        OtherByteAttribute block = new OtherByteAttribute(new AttributeTag(0x0043, 0x10F0));
        block.setValues(opaque);
        l.put(block);
    }

    private static void putPrivate(AttributeList l, AttributeTag tag, String creator) throws DicomException {
        Attribute a = new LongStringAttribute(tag);
        a.addValue(creator);
        l.put(a);
    }

    private static AttributeTag tag(String keyword) {
        AttributeTag t = DICT.getTagFromName(keyword);
        if (t == null) throw new IllegalArgumentException("unknown keyword " + keyword);
        return t;
    }

    private static void put(AttributeList l, String keyword, String... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag(keyword));
        for (String v : values) a.addValue(v);
        l.put(a);
    }
}

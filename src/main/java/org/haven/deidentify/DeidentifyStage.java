package org.haven.deidentify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haven.HavenHeaders;
import org.haven.dicom.DicomHeader;
import org.haven.dicom.DicomReader;
import org.haven.dicom.DicomWriter;
import org.haven.dicom.UnreadableDicomException;
import org.haven.quarantine.QuarantineException;
import org.haven.store.FileRecords;
import org.haven.resolve.ResolveStage;
import org.haven.store.StageGuard;
import org.haven.store.Workspace;

/**
 * The de-identification stage: reads the staged file once (header only when the pixel data can be streamed),
 * takes the person's project pseudonym from the resolve step, applies the device's profile, and writes the result to outgoing/ in
 * the original transfer syntax. The release path is built from de-identified values only.
 */
public final class DeidentifyStage {
    private static final Pattern UID = Pattern.compile("[0-9.]{1,64}");

    private final Workspace workspace;
    private final FileRecords records;
    private final ProfileRegistry profiles;
    private final byte[] key;
    private final String node;
    private final boolean sync;
    private final Map<String, UidRemapper> remappers = new ConcurrentHashMap<>();
    private final Map<String, Deidentifier> deidentifiers = new ConcurrentHashMap<>();

    /** Each de-identified copy is forced to the device before it is renamed into outgoing/ (the service). */
    public DeidentifyStage(Workspace workspace, FileRecords records, ProfileRegistry profiles, byte[] key, String node) {
        this(workspace, records, profiles, key, node, true);
    }

    /**
     * {@code sync} false (setting {@code haven.outgoing.sync}, off in batch runs): the copy is left to the OS's
     * write-back. A batch's input folder keeps every original and a run that dies is run again, so a copy lost in a
     * power cut costs a rerun, never a file; the service deletes the original once released and keeps the sync.
     */
    public DeidentifyStage(Workspace workspace, FileRecords records, ProfileRegistry profiles, byte[] key, String node, boolean sync) {
        this.sync = sync;
        this.workspace = workspace;
        this.records = records;
        this.profiles = profiles;
        this.key = key.clone();
        this.node = node;
    }

    /**
     * Parses the staged file once for this stage: the header only when pixel data can be copied through, the whole
     * data set when pixels are to be blanked or cannot be streamed.
     */
    public void read(Exchange exchange) throws QuarantineException, SQLException, IOException {
        if (new StageGuard(workspace, records, node).stopIfDecided(exchange)) return; // duplicate or redelivered message
        Message in = exchange.getIn();
        Path staged = workspace.staged(in.getHeader(HavenHeaders.FILE_ID, String.class));
        boolean blanking = "REDACT".equals(in.getHeader(HavenHeaders.PIXEL_ACTION, String.class));
        DicomHeader carried = exchange.getProperty(HavenHeaders.DATASET, DicomHeader.class);
        if (carried != null && !blanking && complete(carried)) return; // classify's parse, same process, same bytes: reused
        try {
            exchange.setProperty(HavenHeaders.DATASET, blanking ? DicomReader.readAll(staged) : read(staged));
        } catch (UnreadableDicomException e) {
            throw new QuarantineException("unreadable", e.getMessage());
        }
    }

    /** Applies the device's profile to the parsed data set in place and builds the release path from the result. */
    public void deidentify(Exchange exchange) throws QuarantineException, SQLException {
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        String profileName = in.getHeader(HavenHeaders.PROFILE, String.class);
        String project = in.getHeader(HavenHeaders.PROJECT, String.class);
        Profile profile = profiles.get(profileName);
        if (profile == null) throw new QuarantineException("unknown-profile", "profile '" + profileName + "' is not loaded");
        DicomHeader header = exchange.getProperty(HavenHeaders.DATASET, DicomHeader.class);
        AttributeList list = header.attributes();

        // the person's project pseudonym, from the resolve step (org.haven.resolve) that runs first in this route
        String pseudonym = exchange.getProperty(ResolveStage.PSEUDONYM, String.class);
        if (pseudonym == null) throw new IllegalStateException("no pseudonym: the resolve step must run before deidentify");
        int shift = DateShift.offsetDays(key, project, pseudonym);
        UidRemapper uids = remappers.computeIfAbsent(project, p -> new UidRemapper(key, p));
        Deidentifier deidentifier = deidentifiers.computeIfAbsent(profileName, n -> new Deidentifier(profile));
        DeidResult result;
        try {
            result = deidentifier.apply(list, new DeidContext(project, pseudonym, shift, uids, false));
        } catch (DeidentificationException e) {
            throw new QuarantineException("deidentify-failed", e.getMessage());
        }

        String study = header.text(TagFromName.StudyInstanceUID);
        String series = header.text(TagFromName.SeriesInstanceUID);
        String instance = header.text(TagFromName.SOPInstanceUID);
        if (!UID.matcher(study).matches() || !UID.matcher(series).matches() || !UID.matcher(instance).matches()) {
            throw new QuarantineException("missing-uid", "Study, Series or SOP Instance UID missing after de-identification");
        }
        in.setHeader(HavenHeaders.RELEASE_PATH, String.join("/", project, pseudonym, study, series, instance + ".dcm"));
        in.setHeader(HavenHeaders.PSEUDONYM, pseudonym); // not identifying; lets the gate ignore it
        exchange.setProperty(HavenHeaders.SOURCE_IDENTIFIERS, result.sourceIdentifiers()); // in-process only, see HavenHeaders
        FileRecords.eventLater(exchange, fileId, "deidentified", null, "profile " + profileName + ": " + result.changedCount() + " attributes changed", node);
    }

    /**
     * Writes the result to outgoing/ in the original transfer syntax (or the one blanking produced): pixel bytes
     * copied from the source when only the header changed, the whole data set otherwise.
     */
    public void write(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        String fileId = in.getHeader(HavenHeaders.FILE_ID, String.class);
        DicomHeader header = exchange.getProperty(HavenHeaders.DATASET, DicomHeader.class);
        boolean blanked = "REDACT".equals(in.getHeader(HavenHeaders.PIXEL_ACTION, String.class));
        String ts = in.getHeader(HavenHeaders.TRANSFER_SYNTAX_OUT, header.layout().transferSyntaxUID(), String.class);
        Path out = workspace.outgoing(fileId);
        Workspace.ensureDirectory(out.getParent());
        Path tmp = Workspace.temporaryFor(out);
        try {
            if (!blanked && header.layout().canStreamPixelData()) {
                DicomWriter.writeWithPixelCopy(header.attributes(), header.layout(), workspace.staged(fileId), tmp, sync);
            } else {
                DicomWriter.writeAll(header.attributes(), ts, tmp, sync);
            }
            Workspace.moveInto(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
        exchange.removeProperty(HavenHeaders.DATASET); // the data set is not needed past this stage
    }

    /** Header only when pixel data can be copied through; the whole data set otherwise (deflated, trailing elements). */
    private static DicomHeader read(Path staged) throws UnreadableDicomException {
        DicomHeader header = DicomReader.readHeader(staged);
        return complete(header) ? header : DicomReader.readAll(staged);
    }

    /** A header-only parse is all this stage needs: the pixel data is copied through, and nothing follows it. */
    private static boolean complete(DicomHeader header) {
        return header.layout().canStreamPixelData() || (!header.layout().deflated() && !header.layout().hasPixelData());
    }
}

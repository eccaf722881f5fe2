package org.haven.network;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.MessageServiceElementCommand;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;

/**
 * Collects one request message (command and data set) of an association: a C-ECHO, or a C-STORE whose data set is
 * streamed into a spool file as a Part 10 file (file meta information first, as PixelMed's own SCP writes it). Unlike
 * PixelMed's SCP, which always answers success, the receiver decides the response after staging; and a data set
 * over the size limit stops being written (the rest is read and dropped) and is answered with a failure.
 */
final class StoreRequestHandler extends CompositeResponseHandler {
    private final Path spool;
    private final long maxBytes;
    private final ByteArrayOutputStream command = new ByteArrayOutputStream();
    private byte presentationContextId;
    private CEchoRequestCommandMessage echo;
    private CStoreRequestCommandMessage store;
    private Path file;
    private OutputStream out;
    private long written;
    private boolean tooLarge;

    StoreRequestHandler(Path spool, long maxBytes) {
        this.spool = spool;
        this.maxBytes = maxBytes;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdata, Association association) throws DicomNetworkException, DicomException, IOException {
        for (Iterator<?> i = pdata.getPDVList().iterator(); i.hasNext(); ) {
            PresentationDataValue pdv = (PresentationDataValue) i.next();
            presentationContextId = pdv.getPresentationContextID();
            if (pdv.isCommand()) {
                command.write(pdv.getValue());
                if (pdv.isLastFragment()) commandComplete();
            } else if (store != null) {
                data(pdv.getValue(), association);
                if (pdv.isLastFragment()) {
                    if (out != null) out.close();
                    out = null;
                    setDone(true);
                }
            } else {
                throw new DicomNetworkException("data set without a C-STORE request");
            }
        }
    }

    private void commandComplete() throws DicomException, IOException, DicomNetworkException {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(command.toByteArray()), TransferSyntax.Default, false));
        int field = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandField, 0xffff);
        if (field == MessageServiceElementCommand.C_ECHO_RQ) {
            echo = new CEchoRequestCommandMessage(list);
            setDone(true);
        } else if (field == MessageServiceElementCommand.C_STORE_RQ) {
            store = new CStoreRequestCommandMessage(list);
        } else {
            throw new DicomNetworkException("unsupported command 0x" + Integer.toHexString(field) + " (Haven only stores and echoes)");
        }
    }

    private void data(byte[] bytes, Association association) throws IOException, DicomException, DicomNetworkException {
        if (tooLarge) return;
        if (out == null) {
            Files.createDirectories(spool);
            file = spool.resolve(".dicom-" + Thread.currentThread().getId() + "-" + System.nanoTime() + ".part");
            out = Files.newOutputStream(file);
            FileMetaInformation meta = new FileMetaInformation(store.getAffectedSOPClassUID(), store.getAffectedSOPInstanceUID(),
                association.getTransferSyntaxForPresentationContextID(presentationContextId), association.getCallingAETitle());
            DicomOutputStream dout = new DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian, null);
            meta.getAttributeList().write(dout);
            dout.flush();
        }
        written += bytes.length;
        if (written > maxBytes) {
            tooLarge = true;
            out.close();
            out = null;
            Files.deleteIfExists(file);
            file = null;
            return;
        }
        out.write(bytes);
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // not used: this handler receives requests, it does not evaluate responses
    }

    byte presentationContextId() { return presentationContextId; }

    CEchoRequestCommandMessage echo() { return echo; }

    CStoreRequestCommandMessage store() { return store; }

    /** The received Part 10 file, or null (echo, too large, nothing received). */
    Path file() { return file; }

    boolean tooLarge() { return tooLarge; }

    long bytes() { return written; }

    /** Drops a half-written spool file (the association ended mid-object). */
    void discard() {
        try {
            if (out != null) out.close();
            if (file != null) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // swept at the next start-up
        }
    }
}

package org.haven.network;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reads the A-ASSOCIATE-RQ PDU before PixelMed does (PixelMed's acceptor only checks the called AE title), so an
 * association from an unknown calling AE title or host, or one over the limit, is answered with a proper
 * A-ASSOCIATE-RJ (PS3.8 9.3.4) instead of being accepted and aborted.
 */
final class AssociationScreen {
    static final int MAX_REQUEST_BYTES = 1 << 20; // an A-ASSOCIATE-RQ is a few kilobytes

    /** The request as read: its raw bytes (to replay) and the AE titles it names. */
    record Request(byte[] pdu, String calledAeTitle, String callingAeTitle) {}

    private AssociationScreen() {}

    /** Reads one PDU; returns null when it is not an A-ASSOCIATE-RQ (PixelMed then aborts it as usual). */
    static Request read(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[6];
        in.readFully(header);
        long length = ((header[2] & 0xffL) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
        if ((header[0] & 0xff) != 0x01 || length < 68 || length > MAX_REQUEST_BYTES) return null;
        byte[] pdu = new byte[6 + (int) length];
        System.arraycopy(header, 0, pdu, 0, 6);
        in.readFully(pdu, 6, (int) length);
        return new Request(pdu, aeTitle(pdu, 10), aeTitle(pdu, 26));
    }

    private static String aeTitle(byte[] pdu, int offset) {
        return new String(pdu, offset, 16, StandardCharsets.US_ASCII).trim();
    }

    /** Result: 1 rejected-permanent, 2 rejected-transient. */
    static final int PERMANENT = 1;
    static final int TRANSIENT = 2;
    /** Source 1 (service user), reason 3: calling AE title not recognised. */
    static final int[] CALLING_AE_NOT_RECOGNISED = {PERMANENT, 1, 3};
    /** Source 1 (service user), reason 7: called AE title not recognised. */
    static final int[] CALLED_AE_NOT_RECOGNISED = {PERMANENT, 1, 7};
    /** Source 3 (service provider, presentation), reason 2: local limit exceeded. */
    static final int[] LOCAL_LIMIT_EXCEEDED = {TRANSIENT, 3, 2};
    /** Source 1 (service user), reason 1: no reason given (e.g. the node is shutting down). */
    static final int[] NO_REASON = {TRANSIENT, 1, 1};

    static void reject(Socket socket, int[] resultSourceReason) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x03, 0x00, 0, 0, 0, 4, 0x00,
                (byte) resultSourceReason[0], (byte) resultSourceReason[1], (byte) resultSourceReason[2]});
            out.flush();
        } catch (IOException e) {
            // the peer went away: nothing to tell it
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a dead socket
            }
        }
    }
}

package org.haven.network;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * An accepted socket whose first bytes (the A-ASSOCIATE-RQ the receiver already read to check the calling AE title)
 * are read again by PixelMed's association acceptor. Everything else is the real socket's.
 */
final class ReplaySocket extends Socket {
    private static final int A_RELEASE_RP = 0x06;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * {@code onReleaseResponse} runs when PixelMed writes the A-RELEASE-RP: the association is over, although PixelMed
     * then lingers (ARTIM, 5 s) before closing the connection; its slot can be given to the next association.
     */
    ReplaySocket(Socket socket, byte[] alreadyRead, Runnable onReleaseResponse) throws IOException {
        this.socket = socket;
        this.in = new SequenceInputStream(new ByteArrayInputStream(alreadyRead), socket.getInputStream());
        OutputStream raw = socket.getOutputStream();
        this.out = new OutputStream() {
            @Override public void write(int b) throws IOException { raw.write(b); }

            @Override public void write(byte[] b, int off, int len) throws IOException {
                raw.write(b, off, len);
                if (len == 10 && (b[off] & 0xff) == A_RELEASE_RP) onReleaseResponse.run(); // PixelMed writes each PDU at once
            }

            @Override public void flush() throws IOException { raw.flush(); }
        };
    }

    @Override public InputStream getInputStream() { return in; }
    @Override public OutputStream getOutputStream() { return out; }
    @Override public InetAddress getInetAddress() { return socket.getInetAddress(); }
    @Override public InetAddress getLocalAddress() { return socket.getLocalAddress(); }
    @Override public int getPort() { return socket.getPort(); }
    @Override public int getLocalPort() { return socket.getLocalPort(); }
    @Override public SocketAddress getRemoteSocketAddress() { return socket.getRemoteSocketAddress(); }
    @Override public SocketAddress getLocalSocketAddress() { return socket.getLocalSocketAddress(); }
    @Override public boolean isConnected() { return socket.isConnected(); }
    @Override public boolean isClosed() { return socket.isClosed(); }
    @Override public synchronized void close() throws IOException { socket.close(); }
    @Override public void shutdownInput() throws IOException { socket.shutdownInput(); }
    @Override public void shutdownOutput() throws IOException { socket.shutdownOutput(); }
    @Override public synchronized void setSoTimeout(int timeout) throws SocketException { socket.setSoTimeout(timeout); }
    @Override public synchronized int getSoTimeout() throws SocketException { return socket.getSoTimeout(); }
    @Override public void setTcpNoDelay(boolean on) throws SocketException { socket.setTcpNoDelay(on); }
    @Override public boolean getTcpNoDelay() throws SocketException { return socket.getTcpNoDelay(); }
    @Override public void setSoLinger(boolean on, int linger) throws SocketException { socket.setSoLinger(on, linger); }
    @Override public int getSoLinger() throws SocketException { return socket.getSoLinger(); }
    @Override public synchronized void setReceiveBufferSize(int size) throws SocketException { socket.setReceiveBufferSize(size); }
    @Override public synchronized int getReceiveBufferSize() throws SocketException { return socket.getReceiveBufferSize(); }
    @Override public synchronized void setSendBufferSize(int size) throws SocketException { socket.setSendBufferSize(size); }
    @Override public synchronized int getSendBufferSize() throws SocketException { return socket.getSendBufferSize(); }
    @Override public void setKeepAlive(boolean on) throws SocketException { socket.setKeepAlive(on); }
    @Override public boolean getKeepAlive() throws SocketException { return socket.getKeepAlive(); }
    @Override public String toString() { return "ReplaySocket[" + socket + "]"; }
}

package org.haven.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import com.pixelmed.network.DicomNetworkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Haven's C-STORE SCP: NHS boards' PACS send here over the DICOM network instead of copying files into an inbox.
 * Built from PixelMed's association and message classes; the receive loop is Haven's own because PixelMed's
 * StorageSOPClassSCP answers success before it knows whether the object could be kept, cannot refuse a calling AE
 * title, and has no size or association limits.
 * <ul>
 *   <li>An association is refused (A-ASSOCIATE-RJ) unless its calling AE title belongs to a board in the boards file
 *       and comes from one of that board's hosts; the refusal is logged with the AE title and address only.</li>
 *   <li>Each C-STORE data set is spooled, then handed to the {@link ObjectSink} (the ingest route: staged under its
 *       content hash, fsynced, recorded and queued) <b>before</b> the response is sent: success only once it is
 *       durable; any failure answers 0xA700 so the sender keeps the object and sends it again.</li>
 *   <li>At most {@code maxAssociations} associations at once (more are rejected as transient), objects over
 *       {@code maxObjectBytes} are refused, and a silent peer is dropped after the idle timeout.</li>
 * </ul>
 */
public final class DicomReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DicomReceiver.class);
    static final int SUCCESS = 0x0000;
    /** Refused: out of resources. The sender should try again later. */
    static final int OUT_OF_RESOURCES = 0xA700;
    /** Error: cannot understand. */
    static final int CANNOT_UNDERSTAND = 0xC000;

    /** Where a received object goes; returning normally means it is durable and will get a fate. */
    @FunctionalInterface
    public interface ObjectSink {
        void accept(Path part10File, String board, String callingAeTitle) throws Exception;
    }

    public record Limits(int maxAssociations, long maxObjectBytes, int idleTimeoutMs) {}

    private final String aeTitle;
    private final Boards boards;
    private final Limits limits;
    private final Path spool;
    private final ObjectSink sink;
    private final ServerSocket server;
    private final Semaphore slots;
    private final ExecutorService workers;
    private static final int MAX_SCREENING = 32;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger screening = new AtomicInteger();
    private final StoragePolicy policy = new StoragePolicy();
    private volatile boolean closing;

    private DicomReceiver(String aeTitle, Boards boards, Limits limits, Path spool, ObjectSink sink, ServerSocket server) {
        this.aeTitle = aeTitle;
        this.boards = boards;
        this.limits = limits;
        this.spool = spool;
        this.sink = sink;
        this.server = server;
        this.slots = new Semaphore(limits.maxAssociations());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "haven-dicom-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens on {@code bind:port} (port 0: any free port, see {@link #port()}). */
    public static DicomReceiver start(String bind, int port, String aeTitle, Boards boards, Limits limits, Path spool, ObjectSink sink)
            throws IOException {
        Files.createDirectories(spool);
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(bind), port), 50);
        DicomReceiver r = new DicomReceiver(aeTitle, boards, limits, spool, sink, server);
        Thread accept = new Thread(r::acceptLoop, "haven-dicom-accept");
        accept.setDaemon(true);
        accept.start();
        LOG.info("DICOM receiver {} listening on {}:{} for {} boards", aeTitle, bind, r.port(), boards.boards().size());
        return r;
    }

    public int port() { return server.getLocalPort(); }

    private void acceptLoop() {
        while (!closing) {
            try {
                Socket socket = server.accept();
                if (screening.get() >= MAX_SCREENING) { // a flood of connections that never ask for an association must not pile up threads
                    LOG.warn("DICOM receiver: {} connections waiting for an association request; closed a new one from {}", MAX_SCREENING,
                        socket.getInetAddress().getHostAddress());
                    socket.close();
                    continue;
                }
                screening.incrementAndGet();
                open.add(socket);
                workers.execute(() -> handle(socket));
            } catch (IOException e) {
                if (!closing) LOG.warn("DICOM receiver: accept failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    private void handle(Socket socket) {
        String peer = socket.getInetAddress().getHostAddress();
        try {
            socket.setSoTimeout(limits.idleTimeoutMs());
            AssociationScreen.Request request;
            try {
                request = AssociationScreen.read(socket);
            } finally {
                screening.decrementAndGet();
            }
            if (request == null) {
                LOG.warn("DICOM receiver: connection from {} did not start with an association request; closed", peer);
                return;
            }
            String calling = printable(request.callingAeTitle());
            Optional<Boards.Board> board = boards.byAeTitle(request.callingAeTitle());
            if (board.isEmpty() || !board.get().allows(socket.getInetAddress())) {
                LOG.warn("DICOM receiver: refused association from calling AE title '{}' at {}: {}", calling, peer,
                    board.isEmpty() ? "AE title not in the boards file" : "host not listed for board " + board.get().name());
                AssociationScreen.reject(socket, AssociationScreen.CALLING_AE_NOT_RECOGNISED);
                return;
            }
            if (!aeTitle.equals(request.calledAeTitle())) {
                LOG.warn("DICOM receiver: refused association from board {} (AE '{}'): called AE title '{}' is not {}", board.get().name(),
                    calling, printable(request.calledAeTitle()), aeTitle);
                AssociationScreen.reject(socket, AssociationScreen.CALLED_AE_NOT_RECOGNISED);
                return;
            }
            if (closing) {
                AssociationScreen.reject(socket, AssociationScreen.NO_REASON);
                return;
            }
            if (!slots.tryAcquire()) {
                LOG.warn("DICOM receiver: refused association from board {} (AE '{}'): {} associations already open",
                    board.get().name(), calling, limits.maxAssociations());
                AssociationScreen.reject(socket, AssociationScreen.LOCAL_LIMIT_EXCEEDED);
                return;
            }
            java.util.concurrent.atomic.AtomicBoolean slotHeld = new java.util.concurrent.atomic.AtomicBoolean(true);
            Runnable freeSlot = () -> {
                if (slotHeld.compareAndSet(true, false)) slots.release();
            };
            try {
                serve(new ReplaySocket(socket, request.pdu(), freeSlot), board.get().name(), calling);
            } finally {
                freeSlot.run();
            }
        } catch (IOException e) {
            if (!closing) LOG.info("DICOM receiver: connection from {} ended before an association: {}", peer, e.getClass().getSimpleName());
        } finally {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private void serve(Socket socket, String board, String calling) {
        Association association;
        try {
            association = AssociationFactory.createNewAssociation(socket, aeTitle, policy);
        } catch (DicomNetworkException | IOException e) {
            LOG.warn("DICOM receiver: association from board {} (AE '{}') not established ({})", board, calling, e.getClass().getSimpleName());
            return;
        }
        int stored = 0;
        int refused = 0;
        LOG.info("DICOM receiver: association from board {} (AE '{}') accepted", board, calling);
        StoreRequestHandler handler = null;
        try {
            while (true) {
                handler = new StoreRequestHandler(spool, limits.maxObjectBytes());
                association.setReceivedDataHandler(handler);
                association.waitForPDataPDUsUntilHandlerReportsDone();
                byte[] response;
                if (handler.echo() != null) {
                    response = new CEchoResponseCommandMessage(handler.echo().getAffectedSOPClassUID(), handler.echo().getMessageID(), SUCCESS).getBytes();
                } else {
                    int status = stage(handler, board, calling);
                    if (status == SUCCESS) stored++; else refused++;
                    response = new CStoreResponseCommandMessage(handler.store().getAffectedSOPClassUID(),
                        handler.store().getAffectedSOPInstanceUID(), handler.store().getMessageID(), status).getBytes();
                }
                association.send(handler.presentationContextId(), response, null);
            }
        } catch (AReleaseException e) {
            LOG.info("DICOM receiver: association from board {} released: {} objects stored, {} refused", board, stored, refused);
        } catch (Exception e) {
            if (handler != null) handler.discard();
            if (closing) {
                LOG.info("DICOM receiver: association from board {} closed at shutdown: {} objects stored, {} refused", board, stored, refused);
                return;
            }
            LOG.warn("DICOM receiver: association from board {} ended abnormally ({}): {} objects stored, {} refused", board,
                e.getClass().getSimpleName(), stored, refused);
        }
    }

    /** Hands a received object to the sink; the status tells the sender whether Haven now answers for it. */
    private int stage(StoreRequestHandler handler, String board, String calling) {
        Path file = handler.file();
        try {
            if (handler.tooLarge()) {
                LOG.warn("DICOM receiver: refused an object from board {} over the size limit ({} bytes)", board, limits.maxObjectBytes());
                return OUT_OF_RESOURCES;
            }
            if (file == null) return CANNOT_UNDERSTAND;
            if (closing) return OUT_OF_RESOURCES;
            sink.accept(file, board, calling);
            return SUCCESS;
        } catch (Exception e) {
            // never the message: it could carry values of the object
            LOG.warn("DICOM receiver: could not stage an object from board {} ({}); answered failure, the sender will retry",
                board, rootCause(e).getClass().getSimpleName());
            return OUT_OF_RESOURCES;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // swept at the next start-up
                }
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    /** AE titles are device names, not patient data; still, keep control characters out of log lines. */
    static String printable(String s) {
        return s == null ? "" : s.replaceAll("[^\\x20-\\x7E]", "?");
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        workers.shutdownNow();
    }
}

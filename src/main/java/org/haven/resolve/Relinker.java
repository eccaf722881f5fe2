package org.haven.resolve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.haven.HavenHeaders;
import org.haven.classify.DeviceStore;
import org.haven.ingest.Stager;
import org.haven.store.PseudonymProposal;
import org.haven.store.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-linkage, driven by the timer in {@code routes/relink.yaml}. When the patient index changes:
 * <ul>
 *   <li>every unresolved mapping row whose local id now resolves is recorded as a merge into the person's
 *       pseudonym ({@link IdentityStore#recordRelink}; the row is marked merged, never left as a second live
 *       pseudonym of that person);</li>
 *   <li>files held as {@code unresolved-patient} whose local id is now in the index go back through classify.</li>
 * </ul>
 * And on every tick it carries out re-issue requests ({@code ./run.sh patients relink-report --reissue}): each file
 * released under a merged pseudonym is withdrawn from release/ and its retained original goes through the pipeline
 * again, now resolving to the person's pseudonym.
 */
public final class Relinker {
    private static final Logger LOG = LoggerFactory.getLogger(Relinker.class);
    static final String CLASSIFY = "jms:queue:haven.classify?exchangePattern=InOnly";

    private final Resolver resolver;
    private final IdentityStore identities;
    private final Workspace workspace;
    private final byte[] key;
    private final String node;
    private final Supplier<CamelContext> camel;
    private volatile String lastStamp;
    private volatile ProducerTemplate producer;

    public Relinker(Resolver resolver, IdentityStore identities, Workspace workspace, byte[] key, String node,
                    Supplier<CamelContext> camel) {
        this.resolver = resolver;
        this.identities = identities;
        this.workspace = workspace;
        this.key = key == null ? null : key.clone();
        this.node = node;
        this.camel = camel;
    }

    public synchronized void watch() throws SQLException, IOException {
        String stamp = identities.indexStamp();
        if (!stamp.equals(lastStamp)) {
            int merged = detect(identities, resolver, key, "node " + node);
            int replayed = replayHeld();
            if (merged > 0 || replayed > 0) {
                LOG.info("patient index changed: {} unresolved pseudonyms merged, {} held files sent again", merged, replayed);
            }
            lastStamp = stamp;
        }
        for (IdentityStore.Relink r : identities.pendingReissues()) reissue(r);
    }

    /** Records a merge for every unresolved row whose local id now resolves; returns how many were new. */
    public static int detect(IdentityStore identities, Resolver resolver, byte[] key, String actor) throws SQLException {
        int n = 0;
        for (IdentityStore.UnresolvedRow row : identities.unresolved()) {
            Resolver.Resolution r;
            try {
                r = resolver.resolve("", new Resolver.PatientIds(new Resolver.Id(row.issuer(), row.localId()), List.of(), List.of()));
            } catch (Resolver.ConflictException e) {
                continue; // cannot happen for one identifier
            }
            if (!r.resolved() || "patient-id".equals(r.method())) continue;
            String chi = r.chi().get();
            String patientKey = IdentityStore.chiKey(chi);
            String resolved = identities.allocate(row.project(), patientKey, PseudonymProposal.propose(key, row.project(), patientKey),
                chi, IdentityStore.RESOLVED);
            if (identities.recordRelink(row, chi, resolved, actor)) n++;
        }
        return n;
    }

    private int replayHeld() throws SQLException, IOException {
        int sent = 0;
        DeviceStore reopen = new DeviceStore(identities.store());
        for (String[] f : identities.heldNowInIndex()) {
            String fileId = f[0];
            Path quarantined = f[2] == null ? null : workspace.quarantine().resolve(f[2]).normalize();
            if (quarantined == null || !quarantined.startsWith(workspace.quarantine().normalize()) || !Files.exists(quarantined)) continue;
            Path staged = workspace.staged(fileId);
            boolean ok = reopen.reopen(fileId, "unresolved-patient", "the patient index now resolves the person", node,
                () -> Workspace.moveInto(quarantined, staged), () -> Workspace.moveInto(staged, quarantined));
            if (ok) {
                Files.deleteIfExists(quarantined.resolveSibling(fileId + ".json"));
                send(fileId, f[1]);
                sent++;
            }
        }
        return sent;
    }

    private void reissue(IdentityStore.Relink r) throws SQLException, IOException {
        if (!identities.claimReissue(r, node)) return; // another node has it
        int sent = 0;
        int missing = 0;
        for (String[] f : identities.releasedFiles(r.project(), r.unresolvedPseudonym())) {
            String fileId = f[0];
            Path retained = ResolveStage.retained(workspace, fileId);
            if (!Files.exists(retained)) {
                missing++;
                continue;
            }
            Path staged = workspace.staged(fileId);
            boolean ok;
            try {
                ok = identities.reopenReleased(fileId, f[2], "re-issued under the resolved pseudonym", node,
                    () -> Workspace.moveInto(retained, staged));
            } catch (SQLException | IOException | RuntimeException e) {
                if (Files.exists(staged) && !Files.exists(retained)) Workspace.moveInto(staged, retained);
                throw e;
            }
            if (!ok) continue;
            Path old = workspace.release().resolve(f[2]).normalize();
            if (old.startsWith(workspace.release().normalize())) Files.deleteIfExists(old);
            send(fileId, f[1]);
            sent++;
        }
        identities.reissued(r, sent);
        if (missing > 0) LOG.warn("re-issue in project {}: {} released files have no retained original", r.project(), missing);
        LOG.info("re-issue in project {}: {} files sent again under the resolved pseudonym", r.project(), sent);
    }

    private void send(String fileId, String board) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(HavenHeaders.FILE_ID, fileId);
        headers.put(HavenHeaders.BOARD, board);
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) producer = camel.get().createProducerTemplate();
                p = producer;
            }
        }
        p.sendBodyAndHeaders(CLASSIFY, "", headers);
        LOG.debug("file {} sent to classify", Stager.shortId(fileId));
    }
}

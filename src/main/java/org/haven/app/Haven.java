package org.haven.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.activemq.broker.BrokerService;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.Main;
import org.haven.classify.Classifier;
import org.haven.classify.DeviceRegistries;
import org.haven.classify.DeviceStore;
import org.haven.classify.Replayer;
import org.haven.classify.SightingCounts;
import org.haven.config.ConfigWatch;
import org.haven.config.LiveConfig;
import org.haven.deidentify.DeidentifyStage;
import org.haven.deidentify.ProfileRegistry;
import org.haven.ingest.Boards;
import org.haven.ingest.DropFolders;
import org.haven.ingest.IntakeStatus;
import org.haven.ingest.Stager;
import org.haven.pixel.OcrChecker;
import org.haven.pixel.OcrStage;
import org.haven.pixel.PixelPolicy;
import org.haven.pixel.PixelRules;
import org.haven.pixel.PixelStage;
import org.haven.quarantine.Quarantine;
import org.haven.release.Releaser;
import org.haven.resolve.ExternalIndex;
import org.haven.resolve.IdentityRules;
import org.haven.resolve.IdentityStore;
import org.haven.resolve.PatientIndex;
import org.haven.resolve.Relinker;
import org.haven.resolve.ResolveStage;
import org.haven.resolve.Resolver;
import org.haven.store.FileRecords;
import org.haven.store.ReleaseNotes;
import org.haven.store.StageGuard;
import org.haven.store.Store;
import org.haven.store.SupersededCopies;
import org.haven.store.TemporarySweeper;
import org.haven.store.DiskSpace;
import org.haven.store.OwnerOnly;
import org.haven.store.Workspace;
import org.haven.verify.Verifier;
import org.haven.verify.VerifyStage;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Haven node: validates the configuration, opens the store, starts (or connects to) the broker, binds one bean
 * per stage and loads the routes from {@code routes/} on the file system. Used by {@code ./run.sh}, the batch
 * command and the end-to-end tests alike.
 */
public final class Haven implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Haven.class);

    private final Settings settings;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Main main;
    private Store store;
    private Workspace workspace;
    private org.haven.web.WebApp web;
    private org.haven.network.DicomReceiver receiver;
    private org.haven.ops.Operations operations;
    private org.haven.ops.MetricsServer metrics;
    private org.apache.camel.ProducerTemplate producer;

    public Haven(Settings settings) { this.settings = settings; }

    /** Starts everything; configuration errors surface here, before any file is touched. */
    public Haven start() throws Exception {
        ProfileRegistry profiles = ProfileRegistry.load(settings.path("haven.profiles"));
        DeviceRegistries devices = DeviceRegistries.load(settings.path("haven.devices"),
            settings.path("haven.config").resolve("manufacturers.yaml"), profiles.names());
        String forced = settings.get("haven.force-profile");
        if (!forced.isEmpty() && profiles.get(forced) == null) throw new IllegalArgumentException(profiles.problem(forced));
        Path verifyDir = settings.path("haven.verify");
        Path pixelsDir = settings.path("haven.pixels");
        LiveConfig<Verifier> verifier = LiveConfig.load("verification rules (" + verifyDir + ")", List.of(verifyDir), () -> Verifier.load(verifyDir));
        // one set of text detectors for the cleaner and the gate (the live ones); reviewers' redact list picked up while running
        org.haven.deidentify.TextCleaner.install(new org.haven.deidentify.TextCleaner(() -> verifier.get().rules(),
            org.haven.deidentify.RedactList.load(settings.path("haven.config").resolve("clean").resolve("redact.yaml"))));
        LiveConfig<PixelRules> pixelRules = LiveConfig.load("pixel rules (" + pixelsDir + ")", List.of(pixelsDir), () -> PixelRules.load(pixelsDir));
        PixelPolicy pixelPolicy = new PixelPolicy(pixelRules);
        IdentityRules identityRules = IdentityRules.load(settings.path("haven.patients"));
        OcrChecker ocr = new OcrChecker(pixelPolicy.rules().ocr()); // fails here, naming the model file, if OCR cannot run
        byte[] key = SecretKey.load(settings);
        String node = settings.get("haven.node");
        java.util.List<org.haven.export.Destination> destinations = settings.getBoolean("haven.export.enabled")
            ? org.haven.export.Destinations.load(settings.path("haven.destinations"), settings.get("haven.dicom.ae-title")) : java.util.List.of();
        org.haven.network.Boards boards = settings.get("haven.dicom.port").isEmpty() ? null : org.haven.network.Boards.load(settings.path("haven.boards"));

        store = Store.open(settings.get("haven.db.url"), settings.get("haven.db.user"), settings.get("haven.db.password"),
            settings.getInt("haven.db.pool-size"));
        resources.add(store);
        resources.add(ocr);
        FileRecords records = new FileRecords(store);
        workspace = Workspace.under(settings.path("haven.workspace"), settings.path("haven.release"), settings.path("haven.quarantine"));
        for (Path p : List.of(workspace.staging(), workspace.outgoing(), workspace.release(), workspace.quarantine(), settings.path("haven.inbox"))) {
            Files.createDirectories(p);
        }
        // originals, de-identified copies, the store and the journal: owner-only (the inbox's access is the boards')
        OwnerOnly.restrict(List.of(settings.path("haven.workspace"), workspace.staging(), workspace.outgoing(), workspace.release(),
            workspace.quarantine(), settings.path("haven.broker.data")));
        int swept = TemporarySweeper.sweepOlderThan(List.of(workspace.staging(), workspace.outgoing(), workspace.release()), Duration.ofHours(1));
        if (swept > 0) LOG.info("removed {} half-written temporaries left by an earlier crash", swept);
        int finished = new StageGuard(workspace, records, node).finishInterruptedHolds();
        if (finished > 0) LOG.warn("recorded the fate of {} files whose hold an earlier crash cut short", finished);
        int putBack = new SupersededCopies(workspace, records, node).finishInterrupted();
        if (putBack > 0) LOG.warn("put back {} released files whose supersede an earlier crash cut short", putBack);
        int withdrawn = new ReleaseNotes(workspace, records).settleDecided();
        if (withdrawn > 0) LOG.warn("withdrew {} de-identified copies an interrupted release left in release/ for files held since", withdrawn);

        if (settings.getBoolean("haven.broker.embedded")) {
            BrokerService broker = Broker.startEmbedded(settings.get("haven.broker.name"), settings.getBoolean("haven.broker.persistent"),
                settings.path("haven.broker.data"), settings.get("haven.broker.listen"), settings.getInt("haven.broker.memory-mb"));
            resources.add(0, () -> { broker.stop(); broker.waitUntilStopped(); });
        }
        JmsPoolConnectionFactory cf = Broker.connectionFactory(settings.get("haven.broker.url"),
            settings.get("haven.broker.user"), settings.get("haven.broker.password"));
        resources.add(0, cf::stop);

        main = new Main();
        main.setInitialProperties(settings.resolved());
        main.configure().withRoutesIncludePattern(routesPattern(settings.path("haven.routes")));
        main.configure().withRoutesReloadEnabled(settings.getBoolean("haven.routes.reload"));
        main.configure().withRoutesReloadDirectory(settings.get("haven.routes"));
        main.configure().withRoutesReloadRemoveAllRoutes(false);
        main.configure().withName("haven-" + node);
        main.configure().withDurationMaxMessages(0);
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(cf);
        // transacted consumers commit their session's own transaction instead of a JmsTransactionManager's, under which
        // Spring caches nothing: a session and a consumer created, and a message dispatched to it, for every message
        // (a warm node waited ~30 % of each consumer's time on those round trips). A send inside the journey still joins
        // the consumer's transaction: the listener's session is exposed to Camel's producers on the same connection factory.
        jms.getConfiguration().setLazyCreateTransactionManager(false);
        jms.getConfiguration().setCacheLevelName("CACHE_CONSUMER");
        main.bind("jms", jms);
        Quarantine quarantine = new Quarantine(workspace, records, node);
        DiskSpace disk = new DiskSpace(List.of(workspace.staging(), settings.path("haven.broker.data"), workspace.quarantine()),
            settings.getLong("haven.disk.min-free-mb"));
        Boards boardNames = Boards.from(settings, boards == null ? java.util.Set.of()
            : boards.boards().stream().map(org.haven.network.Boards.Board::name).collect(java.util.stream.Collectors.toSet()));
        main.bind("stager", new Stager(workspace, records, node, boardNames, settings.getLong("haven.inbox.max-bytes"), disk, quarantine,
            settings.getBoolean("haven.outgoing.sync")));
        main.bind("dropFolders", new DropFolders(settings.path("haven.inbox"), boardNames,
            DropFolders.Completion.parse(settings.get("haven.inbox.complete")), perBoardCompletion(settings),
            settings.getLong("haven.inbox.min-age-ms"), settings.getLong("haven.inbox.poll-ms"), settings.getInt("haven.inbox.max-files-per-poll"), disk,
            () -> producer(), new IntakeStatus()).parallel(settings.getInt("haven.inbox.threads"))
            .queued(new org.haven.ops.StageBacklog(cf))
            .sendsTogether(new org.springframework.transaction.support.TransactionTemplate(new org.springframework.jms.connection.JmsTransactionManager(cf))));
        DeviceStore deviceStore = new DeviceStore(store);
        main.bind("sightingCounts", new SightingCounts(store));
        main.bind("fateCounts", new org.haven.store.FateCounts(store));
        main.bind("classifier", new Classifier(workspace, records, devices, deviceStore, settings.get("haven.project"), node,
            settings.get("haven.force-profile")));
        main.bind("deviceRegistries", devices); // the registry in force (tests and tools read its reload state)
        main.bind("replayer", new Replayer(workspace, deviceStore, devices, node, this::camel, forced.isEmpty()));
        ExternalIndex externalIndex = ExternalIndex.fromSettings(settings);
        if (externalIndex != null) resources.add(externalIndex);
        IdentityStore identities = new IdentityStore(store);
        Resolver resolver = new Resolver(identityRules, new PatientIndex(store), externalIndex);
        main.bind("resolveStage", new ResolveStage(resolver, identities, workspace, key, node));
        main.bind("relinker", new Relinker(resolver, identities, workspace, key, node, this::camel));
        main.bind("deidentifyStage", new DeidentifyStage(workspace, records, profiles, key, node, settings.getBoolean("haven.outgoing.sync")));
        main.bind("pixelStage", new PixelStage(pixelPolicy, records, node, name -> {
            org.haven.deidentify.Profile p = profiles.get(name);
            return p == null || p.keepsOverlayData(); // unknown profile: count overlays (fail closed; deidentify then holds the file)
        }));
        main.bind("ocrStage", new OcrStage(workspace, records, pixelPolicy, ocr, verifier, node));
        main.bind("verifyStage", new VerifyStage(workspace, records, verifier, node));
        main.bind("releaser", new Releaser(workspace, records, node));
        main.bind("quarantine", quarantine);
        main.bind("fileRecords", records);
        // no live writer takes 10 minutes over one temporary (files are at most haven.inbox.max-bytes)
        main.bind("temporaries", new TemporarySweeper(List.of(workspace.staging(), workspace.outgoing(), workspace.release()),
            Duration.ofMinutes(10)));
        main.bind("failureKind", new org.haven.quarantine.FailureKind());
        main.bind("exporter", new org.haven.export.Exporter(destinations, store, workspace.release(), node, settings.getInt("haven.export.batch")));
        if (settings.getBoolean("haven.ops.metrics.enabled")) { // bound (and its settings checked) before any file is taken
            io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
            org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory timings =
                new org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory(); // per-stage timings: a timer per route
            timings.setMeterRegistry(meters);
            main.bind("stageTimings", timings);
            metrics = new org.haven.ops.MetricsServer(settings.get("haven.ops.metrics.bind"), settings.getInt("haven.ops.metrics.port"),
                settings.get("haven.ops.metrics.token"), meters, () -> operations.status());
            resources.add(0, metrics);
        }
        main.bind("configWatch", new ConfigWatch(List.of(verifier, pixelRules)));
        main.start();
        operations = org.haven.ops.OperationsSetup.forNode(settings, store, workspace, main.getCamelContext());
        if (metrics != null) metrics.start();
        if (!settings.getBoolean("haven.inbox.enabled") && main.getCamelContext().getRoute("ingest-drop-folders") != null) {
            main.getCamelContext().getRouteController().stopRoute("ingest-drop-folders");
        }
        if (boards != null) receiver = org.haven.network.Receivers.start(settings, boards, workspace, main.getCamelContext());
        if (settings.getBoolean("haven.web.enabled")) {
            web = org.haven.web.WebApp.start(settings, store, workspace, profiles, key, main.getCamelContext(),
                new org.haven.web.LiveRules(verifier, pixelRules, devices));
            web.operations(operations);
            resources.add(0, web);
        }
        LOG.info("Haven node {} started: {} routes, profiles {}, {} device patterns", node,
            main.getCamelContext().getRoutes().size(), profiles.names(), devices.devices().devices().size());
        return this;
    }

    /** {@code haven.inbox.complete.<board>} overrides, validated at start-up. */
    static Map<String, DropFolders.Completion> perBoardCompletion(Settings settings) {
        Map<String, DropFolders.Completion> out = new HashMap<>();
        String prefix = "haven.inbox.complete.";
        settings.resolved().forEach((k, v) -> {
            if (k.toString().startsWith(prefix)) out.put(k.toString().substring(prefix.length()), DropFolders.Completion.parse(v.toString()));
        });
        return out;
    }

    private synchronized org.apache.camel.ProducerTemplate producer() {
        if (producer == null) producer = main.getCamelContext().createProducerTemplate();
        return producer;
    }

    static String routesPattern(Path routes) {
        String dir = routes.toString().replace('\\', '/');
        return "file:" + dir + "/*.yaml,file:" + dir + "/*.xml";
    }

    public CamelContext camel() { return main.getCamelContext(); }

    public Store store() { return store; }

    public Workspace workspace() { return workspace; }

    public Settings settings() { return settings; }

    /** The DICOM receiver, or null when {@code haven.dicom.port} is not set. */
    public org.haven.network.DicomReceiver receiver() { return receiver; }

    /** The review web app, or null when {@code haven.web.enabled} is false. */
    public org.haven.web.WebApp web() { return web; }

    /** Status, files in flight, queues, resubmit (org.haven.ops). */
    public org.haven.ops.Operations operations() { return operations; }

    /** The Prometheus endpoint, or null when {@code haven.ops.metrics.enabled} is false. */
    public org.haven.ops.MetricsServer metrics() { return metrics; }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM). */
    public void awaitShutdown() throws InterruptedException {
        Object lock = new Object();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            synchronized (lock) {
                lock.notifyAll();
            }
        }));
        synchronized (lock) {
            lock.wait();
        }
    }

    @Override
    public void close() {
        if (receiver != null) receiver.close(); // no new objects while the routes stop
        receiver = null;
        try {
            if (main != null) main.stop();
        } catch (Exception e) {
            LOG.warn("stopping Camel: {}", e.toString());
        }
        main = null;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", r, e.toString());
            }
        }
        resources.clear();
    }
}

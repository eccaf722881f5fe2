package org.haven.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.haven.HavenHeaders;
import org.haven.classify.Classifier;
import org.haven.classify.DeviceRegistries;
import org.haven.classify.DeviceStore;
import org.haven.deidentify.DeidentifyStage;
import org.haven.deidentify.ProfileRegistry;
import org.haven.deidentify.RedactList;
import org.haven.deidentify.TextCleaner;
import org.haven.pixel.PixelPolicy;
import org.haven.pixel.PixelRules;
import org.haven.pixel.PixelStage;
import org.haven.quarantine.QuarantineException;
import org.haven.release.Releaser;
import org.haven.resolve.IdentityRules;
import org.haven.resolve.IdentityStore;
import org.haven.resolve.PatientIndex;
import org.haven.resolve.ResolveStage;
import org.haven.resolve.Resolver;
import org.haven.store.FileRecords;
import org.haven.store.Store;
import org.haven.store.Workspace;
import org.haven.synth.SyntheticArchive;
import org.haven.verify.Verifier;
import org.haven.verify.VerifyStage;

/**
 * In-process stage profiler (a tool, not a test): generates N CT files (headers of the synthetic archive's CT images,
 * pixel data resized to SIZE x SIZE 16-bit), stages them, then calls the stage beans exactly as the routes do
 * (classify, pixel decide | read, resolve, redact, deidentify, write | verify | release; a fresh exchange per JMS
 * hop, headers carried, properties dropped) and reports CPU ns and allocated bytes per file per stage
 * (ThreadMXBean, this thread only) after a warm-up. The store is in-process H2 by default, so its statements count
 * in the stage that makes them. Usage: bench/profile-stages.sh (see bench/README.md).
 *
 * <pre>StageProfiler [--files N] [--warmup N] [--size 128|512] [--patients N] [--config DIR] [--dir DIR] [--db JDBC-URL] [--jfr FILE]
 * [--in-process true] [--sync false]</pre> ({@code --in-process} keeps exchange properties across the hops, as the in-process
 * batch path does; {@code --sync false} writes de-identified copies without an fsync, as a batch run does).
 */
public final class StageProfiler {
    static final String[] STAGES = {"classify", "pixel-decide", "read", "resolve", "redact", "deidentify", "write", "verify", "release"};

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int files = Integer.parseInt(opt.getOrDefault("files", "2000"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "1000"));
        int size = Integer.parseInt(opt.getOrDefault("size", "128"));
        int patients = Integer.parseInt(opt.getOrDefault("patients", "50"));
        Path config = Path.of(opt.getOrDefault("config", "config"));
        Path dir = Path.of(opt.getOrDefault("dir", "/dev/shm/haven-stage-profiler-" + ProcessHandle.current().pid()));
        String db = opt.getOrDefault("db", "jdbc:h2:mem:profiler;DB_CLOSE_DELAY=-1");

        Files.createDirectories(dir);
        List<Path> inputs = generate(dir.resolve("in"), warmup + files, size, patients);
        System.err.printf(Locale.ROOT, "profiler: %d CT files of %dx%d (%d bytes first) in %s%n", inputs.size(), size, size,
            Files.size(inputs.get(0)), dir.resolve("in"));

        try (Store store = Store.open(db, "sa", "", 2)) {
            Pipeline p = new Pipeline(config, store, dir, Boolean.parseBoolean(opt.getOrDefault("sync", "true")));
            p.carry = Boolean.parseBoolean(opt.getOrDefault("in-process", "true")); // as the routes carry a file (one JMS hop)
            List<String> ids = new ArrayList<>();
            for (Path in : inputs) ids.add(p.stage(in));
            Totals warm = new Totals(), measured = new Totals();
            for (int i = 0; i < warmup; i++) p.run(ids.get(i), warm);
            jdk.jfr.Recording jfr = opt.containsKey("jfr") ? new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile")) : null;
            if (jfr != null) jfr.start(); // the measured files only, not generation or warm-up
            for (int i = warmup; i < ids.size(); i++) p.run(ids.get(i), measured);
            if (jfr != null) {
                jfr.dump(Path.of(opt.get("jfr")));
                jfr.close();
            }
            System.out.println(measured.report(size, files));
        } finally {
            deleteTree(dir);
        }
    }

    /** The stage beans wired as {@code org.haven.app.Haven} wires them for a batch run (--profile research). */
    static final class Pipeline {
        final Workspace workspace;
        final FileRecords records;
        final Classifier classifier;
        final PixelStage pixelStage;
        final DeidentifyStage deidentifyStage;
        final ResolveStage resolveStage;
        final VerifyStage verifyStage;
        final Releaser releaser;
        final DefaultCamelContext camel = new DefaultCamelContext();
        boolean carry;
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        Pipeline(Path config, Store store, Path dir, boolean sync) throws IOException {
            byte[] key = "stage-profiler-key-0123456789abcdef".getBytes();
            String node = "profiler";
            ProfileRegistry profiles = ProfileRegistry.load(config.resolve("profiles"));
            DeviceRegistries devices = DeviceRegistries.load(config.resolve("devices.yaml"), config.resolve("manufacturers.yaml"), profiles.names());
            Verifier verifier = Verifier.load(config.resolve("verify"));
            TextCleaner.install(new TextCleaner(verifier::rules, RedactList.load(config.resolve("clean").resolve("redact.yaml"))));
            PixelPolicy pixels = new PixelPolicy(PixelRules.load(config.resolve("pixels")));
            workspace = Workspace.under(dir.resolve("work"), dir.resolve("release"), dir.resolve("quarantine"));
            for (Path p : List.of(workspace.staging(), workspace.outgoing(), workspace.release(), workspace.quarantine())) Files.createDirectories(p);
            records = new FileRecords(store);
            classifier = new Classifier(workspace, records, devices, new DeviceStore(store), "research", node, "research");
            pixelStage = new PixelStage(pixels, records, node);
            deidentifyStage = new DeidentifyStage(workspace, records, profiles, key, node, sync);
            resolveStage = new ResolveStage(new Resolver(IdentityRules.load(config.resolve("patients.yaml")), new PatientIndex(store), null),
                new IdentityStore(store), workspace, key, node);
            verifyStage = new VerifyStage(workspace, records, verifier, node);
            releaser = new Releaser(workspace, records, node);
        }

        /** Ingest is not profiled here: the file is copied to staging under its hash and recorded. */
        String stage(Path in) throws Exception {
            byte[] bytes = Files.readAllBytes(in);
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            Path staged = workspace.staged(id);
            Files.createDirectories(staged.getParent());
            Files.write(staged, bytes);
            records.receive(id, "highland", in.toString(), bytes.length, "profiler");
            return id;
        }

        void run(String fileId, Totals t) throws Exception {
            Exchange e = hop(null, fileId);
            try {
                step(t, "classify", e, () -> classifier.classify(e));
                step(t, "pixel-decide", e, () -> pixelStage.decide(e));
                if (!carry) e.removeProperty(HavenHeaders.DATASET); // --in-process false: a JMS hop between stages drops it
                Exchange d = hop(e, fileId);
                step(t, "read", d, () -> deidentifyStage.read(d));
                step(t, "resolve", d, () -> resolveStage.resolve(d));
                step(t, "redact", d, () -> pixelStage.redact(d));
                step(t, "deidentify", d, () -> deidentifyStage.deidentify(d));
                step(t, "write", d, () -> deidentifyStage.write(d));
                Exchange v = hop(d, fileId);
                step(t, "verify", v, () -> verifyStage.verify(v));
                Exchange r = hop(v, fileId);
                step(t, "release", r, () -> releaser.release(r));
                t.outcome("released");
            } catch (QuarantineException q) {
                t.outcome("held: " + q.reason()); // the reason only, never a value
                if (Boolean.getBoolean("profiler.why") && t.outcomes.get("held: " + q.reason()) == 1) System.err.println(q.getMessage());
            }
        }

        /** A JMS hop: headers travel, exchange properties (the parsed data set) do not. */
        Exchange hop(Exchange from, String fileId) {
            Exchange e = new DefaultExchange(camel);
            if (from != null) e.getIn().setHeaders(new java.util.HashMap<>(from.getIn().getHeaders()));
            if (from != null && carry) { // in process (the default, as routed since the one-hop journey): properties kept
                from.getProperties().forEach(e::setProperty);
            }
            e.getIn().setHeader(HavenHeaders.FILE_ID, fileId);
            e.getIn().setHeader(HavenHeaders.BOARD, "highland");
            return e;
        }

        interface Step { void run() throws Exception; }

        void step(Totals t, String name, Exchange e, Step s) throws Exception {
            if (e.isRouteStop()) throw new IllegalStateException("route stopped before " + name);
            long tid = Thread.currentThread().getId();
            long cpu0 = threads.getCurrentThreadCpuTime(), mem0 = threads.getThreadAllocatedBytes(tid);
            try {
                s.run();
            } finally {
                t.add(name, threads.getCurrentThreadCpuTime() - cpu0, threads.getThreadAllocatedBytes(tid) - mem0);
            }
        }
    }

    static final class Totals {
        final Map<String, long[]> byStage = new LinkedHashMap<>();
        final Map<String, Integer> outcomes = new TreeMap<>();

        Totals() { for (String s : STAGES) byStage.put(s, new long[2]); }

        void add(String stage, long cpuNs, long bytes) {
            long[] v = byStage.get(stage);
            v[0] += cpuNs;
            v[1] += bytes;
        }

        void outcome(String o) { outcomes.merge(o, 1, Integer::sum); }

        String report(int size, int files) {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "# %d CT files %dx%d, per file (this thread's CPU; allocation)%n", files, size, size));
            s.append(String.format(Locale.ROOT, "%-14s %10s %12s%n", "stage", "CPU us", "alloc KB"));
            long cpu = 0, mem = 0;
            for (Map.Entry<String, long[]> e : byStage.entrySet()) {
                cpu += e.getValue()[0];
                mem += e.getValue()[1];
                s.append(String.format(Locale.ROOT, "%-14s %10.1f %12.1f%n", e.getKey(), e.getValue()[0] / 1e3 / files, e.getValue()[1] / 1024.0 / files));
            }
            s.append(String.format(Locale.ROOT, "%-14s %10.1f %12.1f%n", "total", cpu / 1e3 / files, mem / 1024.0 / files));
            s.append("outcomes: ").append(outcomes);
            return s.toString();
        }
    }

    // ------------------------------------------------------------------------------------------------- inputs

    /** CT files: the synthetic archive's original CT headers, pixel data resized, a distinct SOP Instance UID each. */
    static List<Path> generate(Path out, int n, int size, int patients) throws Exception {
        Path synth = out.resolveSibling("synth");
        new SyntheticArchive(20261125L).write(patients, synth);
        List<AttributeList> templates = new ArrayList<>();
        try (Stream<Path> s = Files.walk(synth)) {
            for (Path f : s.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".dcm") || !f.getFileName().toString().contains(".")).sorted().toList()) {
                AttributeList l = new AttributeList();
                try (DicomInputStream in = new DicomInputStream(f.toFile())) {
                    l.read(in);
                } catch (Exception e) {
                    continue;
                }
                String imageType = Attribute.getDelimitedStringValuesOrEmptyString(l, TagFromName.ImageType);
                if ("CT".equals(Attribute.getSingleStringValueOrEmptyString(l, TagFromName.Modality)) && imageType.startsWith("ORIGINAL")
                    && l.get(TagFromName.PixelData) != null && Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsAllocated, 0) == 16) {
                    templates.add(l);
                }
            }
        }
        deleteTree(synth);
        if (templates.isEmpty()) throw new IllegalStateException("the synthetic archive has no 16-bit original CT images");
        Files.createDirectories(out);
        List<Path> files = new ArrayList<>();
        short[] pixels = new short[size * size];
        for (int i = 0; i < n; i++) {
            AttributeList l = templates.get(i % templates.size());
            for (int p = 0; p < pixels.length; p++) pixels[p] = (short) ((p * 31 + i) & 0x0FFF);
            set(l, new UnsignedShortAttribute(TagFromName.Rows), size);
            set(l, new UnsignedShortAttribute(TagFromName.Columns), size);
            OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
            pd.setValues(pixels);
            l.put(pd);
            String uid = Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID);
            String unique = uid.substring(0, Math.min(uid.length(), 50)).replaceAll("\\.+$", "") + "." + (i + 1);
            l.replaceWithValueIfPresent(TagFromName.SOPInstanceUID, unique);
            l.replaceWithValueIfPresent(TagFromName.MediaStorageSOPInstanceUID, unique);
            Path f = out.resolve(String.format(Locale.ROOT, "ct%06d.dcm", i));
            String ts = Attribute.getSingleStringValueOrDefault(l, TagFromName.TransferSyntaxUID, SyntheticArchive.EXPLICIT_LE).trim();
            l.removeGroupLengthAttributes();
            l.removeMetaInformationHeaderAttributes();
            com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l, ts, "SYNTH");
            l.write(f.toFile(), ts, true, true);
            files.add(f);
        }
        return files;
    }

    private static void set(AttributeList l, Attribute a, int v) throws Exception {
        a.addValue(v);
        l.put(a);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("usage: StageProfiler [--files N] [--warmup N] [--size 128|512] ...");
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}

package org.haven.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.haven.ingest.Stager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review web app, served by Haven itself on the JDK's HTTP server: static pages from the jar ({@code /web/**})
 * and a JSON API ({@code /api/**}, described by {@code /api/openapi.yaml}).
 * <ul>
 *   <li>Every API call needs a session (401 otherwise) and checks the role (403): reviewers view, release, reject and
 *       re-process single files; admins also decide devices, add rules and pixel boxes and run bulk actions.</li>
 *   <li>State-changing calls need {@code Content-Type: application/json} and the session's CSRF token in
 *       {@code X-CSRF-Token} (403 otherwise); the session cookie is HttpOnly and SameSite=Strict.</li>
 *   <li>Access log lines carry method, path (file ids are content hashes), status and user name; never values.</li>
 * </ul>
 */
public final class WebApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebApp.class);
    static final String COOKIE = "haven_session";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(
        new SimpleModule().addSerializer(java.time.Instant.class, ToStringSerializer.instance));

    static {
        HttpTimeouts.apply(); // stalled clients must not hold every server thread
    }

    private final LoginThrottle throttle = new LoginThrottle(java.time.Clock.systemUTC());
    private ViewAudit viewAudit;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Users users;
    private final Sessions sessions;
    private final Review review;
    private final Queue queue;
    private final RuleFiles rules;
    private final boolean secureCookie;
    private volatile OperationsApi operations;
    private ReviewActions actions;

    public WebApp(String bind, int port, Users users, Sessions sessions, Review review, Queue queue, RuleFiles rules, boolean secureCookie)
            throws IOException {
        this.users = users;
        this.sessions = sessions;
        this.review = review;
        this.queue = queue;
        this.rules = rules;
        this.secureCookie = secureCookie;
        this.server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        this.pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "haven-web");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    public WebApp start() {
        server.start();
        LOG.info("review web app on http://{}:{}/", server.getAddress().getHostString(), port());
        return this;
    }

    public int port() { return server.getAddress().getPort(); }

    /** Enables the Operations page's API ({@code /api/ops/...}, see {@link OperationsApi}). */
    public WebApp operations(org.haven.ops.Operations ops) {
        this.operations = new OperationsApi(ops);
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private record Ctx(HttpExchange ex, String method, String path, Map<String, String> query, Sessions.Session session) {}

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        int status = 500;
        String user = "-";
        try {
            Headers.security(ex);
            if (!path.startsWith("/api/")) {
                status = serveStatic(ex, path);
                return;
            }
            Optional<Sessions.Session> session = sessions.find(cookie(ex));
            user = session.map(Sessions.Session::user).orElse("-");
            Ctx ctx = new Ctx(ex, method, path, query(ex), session.orElse(null));
            if (method.equals("POST")) {
                String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
                if (!type.toLowerCase().startsWith("application/json")) throw new WebException(415, "Content-Type must be application/json");
            } else if (!method.equals("GET")) {
                throw new WebException(405, "method not allowed");
            }
            if (path.equals("/api/login") && method.equals("POST")) {
                status = login(ex);
                return;
            }
            if (ctx.session() == null) throw new WebException(401, "sign in first");
            if (method.equals("POST")) checkCsrf(ex, ctx.session());
            status = api(ctx);
        } catch (WebException e) {
            status = e.status();
            error(ex, e.status(), e.getMessage());
        } catch (Exception e) {
            status = 500;
            LOG.warn("web: {} {} failed: {}", method, path, e.getClass().getName());
            error(ex, 500, "internal error");
        } finally {
            ex.close();
            LOG.debug("web: {} {} {} {}", method, path, status, user);
        }
    }

    // ---- API -------------------------------------------------------------------------------------------------------

    private int api(Ctx c) throws Exception {
        String p = c.path();
        String m = c.method();
        Sessions.Session s = c.session();
        if (p.equals("/api/session") && m.equals("GET")) return json(c.ex(), 200, sessionJson(s));
        if (actions != null && actions.handles(m, p)) {
            ReviewActions.Reply r = actions.handle(m, p, c.query(), m.equals("POST") ? body(c.ex()) : null, s);
            return r.png() != null ? png(c.ex(), r.png()) : json(c.ex(), 200, r.json());
        }
        if (p.equals("/api/logout") && m.equals("POST")) {
            sessions.end(s.token());
            c.ex().getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secureCookie ? "; Secure" : ""));
            return json(c.ex(), 200, Map.of("signedOut", true));
        }
        if (p.equals("/api/openapi.yaml") && m.equals("GET")) return resource(c.ex(), "web/openapi.yaml", "application/yaml");
        if (p.equals("/api/queue") && m.equals("GET")) {
            Queue.Page page = queue.page(Queue.Filter.of(c.query()), c.query().get("after"), intParam(c.query().get("limit"), 50));
            return json(c.ex(), 200, page);
        }
        if (p.equals("/api/queue/counts") && m.equals("GET")) return json(c.ex(), 200, queue.counts(Queue.Filter.of(c.query())));
        if (p.startsWith("/api/ops/") && operations != null) {
            if (m.equals("GET") && p.equals("/api/ops/status")) return json(c.ex(), 200, operations.status());
            if (m.equals("POST") && p.equals("/api/ops/resubmit")) {
                admin(s);
                JsonNode b = body(c.ex());
                return json(c.ex(), 200, operations.resubmit(fileParam(b), b.path("comment").asText(null), s.user()));
            }
        }
        if (p.equals("/api/audit") && m.equals("GET")) {
            return json(c.ex(), 200, review.decisions(blank(c.query().get("fileId")), intParam(c.query().get("limit"), 200)));
        }
        if (p.equals("/api/profiles") && m.equals("GET")) return json(c.ex(), 200, review.profiles().names());
        if (p.startsWith("/api/files/")) {
            String[] parts = p.substring("/api/files/".length()).split("/");
            String fileId = parts[0];
            Review.checkId(fileId);
            String op = parts.length > 1 ? parts[1] : "";
            if (m.equals("GET") && op.isEmpty()) {
                Object detail = review.detail(fileId, c.query().get("profile"));
                viewAudit.viewed(fileId, s.user(), "attributes (original values)");
                return json(c.ex(), 200, detail);
            }
            if (m.equals("GET") && op.equals("preview.png")) {
                int st = preview(c.ex(), fileId);
                viewAudit.viewed(fileId, s.user(), "pixels (original preview)");
                return st;
            }
            if (m.equals("POST")) {
                JsonNode body = body(c.ex());
                String comment = body.path("comment").asText(null);
                switch (op) {
                    case "release" -> review.resubmit(fileId, blank(body.path("profile").asText(null)), comment, s.user(), false);
                    case "reprocess" -> review.resubmit(fileId, blank(body.path("profile").asText(null)), comment, s.user(), true);
                    case "reject" -> review.reject(fileId, comment, s.user());
                    default -> throw new WebException(404, "no such action");
                }
                return json(c.ex(), 200, Map.of("fileId", fileId, "action", op, "by", s.user()));
            }
        }
        if (m.equals("POST") && p.equals("/api/devices/decision")) {
            admin(s);
            JsonNode b = body(c.ex());
            return json(c.ex(), 200, review.deviceDecision(b.path("signature").asText(null), blank(b.path("deviceId").asText(null)),
                b.path("state").asText(""), blank(b.path("profile").asText(null)), b.path("comment").asText(null), s.user(), fileParam(b)));
        }
        if (m.equals("POST") && p.equals("/api/bulk")) {
            admin(s);
            JsonNode b = body(c.ex());
            String action = b.path("action").asText("");
            String comment = Review.requireComment(b.path("comment").asText(null));
            Map<String, String> f = new HashMap<>();
            b.path("filter").fields().forEachRemaining(e -> f.put(e.getKey(), e.getValue().asText()));
            if (!List.of("release", "reprocess", "reject").contains(action)) throw new WebException(400, "action must be release, reprocess or reject");
            Queue.Filter filter = Queue.Filter.of(f);
            List<String> ids = queue.fileIds(filter, Math.max(1, Math.min(b.path("max").asInt(1000), 10_000)));
            // the reviewer confirmed a count: act only if the filter still matches exactly that many files
            if (!b.path("expected").canConvertToInt()) throw new WebException(400, "expected (the number of files you confirmed) is required");
            if (b.path("expected").asInt() != ids.size()) {
                throw new WebException(409, "the filter now matches " + ids.size() + " files, not " + b.path("expected").asInt() + ": confirm again");
            }
            int done = 0;
            List<Map<String, String>> failed = new ArrayList<>();
            for (String id : ids) {
                try {
                    switch (action) {
                        case "release" -> review.resubmit(id, blank(b.path("profile").asText(null)), comment, s.user(), false);
                        case "reprocess" -> review.resubmit(id, blank(b.path("profile").asText(null)), comment, s.user(), true);
                        case "reject" -> review.reject(id, comment, s.user());
                        default -> throw new IllegalStateException();
                    }
                    done++;
                } catch (WebException e) {
                    failed.add(Map.of("fileId", id, "error", e.getMessage()));
                }
            }
            LOG.info("review: {} bulk {} on {} files ({} failed)", s.user(), action, done, failed.size());
            return json(c.ex(), 200, Map.of("action", action, "matched", ids.size(), "done", done, "failed", failed));
        }
        throw new WebException(404, "not found");
    }

    private int login(HttpExchange ex) throws Exception {
        JsonNode b = body(ex);
        String name = b.path("name").asText("");
        String address = ex.getRemoteAddress().getAddress().getHostAddress();
        long wait = throttle.waitSeconds(name, address);
        if (wait > 0) {
            LOG.warn("web: sign-in refused without checking for {} from {}: locked for {} s after repeated failures", auditName(name), address, wait);
            ex.getResponseHeaders().set("Retry-After", Long.toString(wait));
            throw new WebException(429, "too many failed sign-ins: try again in " + wait + " s");
        }
        char[] password = b.path("password").asText("").toCharArray();
        Optional<Users.User> u = users.authenticate(name, password);
        java.util.Arrays.fill(password, '\0');
        if (u.isEmpty()) {
            int failures = throttle.failed(name, address);
            LOG.warn("web: sign-in refused for {} from {} ({} failures in a row)", auditName(name), address, failures);
            throw new WebException(401, "wrong user name or password");
        }
        throttle.succeeded(name, address);
        Sessions.Session s = sessions.create(u.get());
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + s.token() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
            + sessions.idle().toSeconds() + (secureCookie ? "; Secure" : ""));
        LOG.info("web: {} signed in ({})", s.user(), s.role());
        return json(ex, 200, sessionJson(s));
    }

    /** A typed user name for the audit line: a plausible account name as typed, anything else (a password typed in the wrong box) not. */
    private static String auditName(String name) {
        return name.matches("[A-Za-z0-9._@-]{1,64}") ? "user '" + name + "'" : "a malformed user name";
    }

    private static Map<String, Object> sessionJson(Sessions.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", s.user());
        m.put("role", s.role());
        m.put("csrf", s.csrf());
        return m;
    }

    private static int png(HttpExchange ex, byte[] png) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "image/png");
        ex.sendResponseHeaders(200, png.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(png);
        }
        return 200;
    }

    private int preview(HttpExchange ex, String fileId) throws Exception {
        Review.FileRow f = review.held(fileId);
        byte[] png;
        try {
            png = Preview.png(review.quarantined(f), review.sidecar(f));
        } catch (WebException e) {
            png = Preview.placeholder(e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.info("web: no preview for file {}: {}", Stager.shortId(fileId), e.getClass().getSimpleName());
            png = Preview.placeholder("no preview: " + e.getClass().getSimpleName());
        }
        ex.getResponseHeaders().set("Content-Type", "image/png");
        ex.sendResponseHeaders(200, png.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(png);
        }
        return 200;
    }

    private static void admin(Sessions.Session s) {
        if (!s.isAdmin()) throw new WebException(403, "admin role required");
    }

    private static void checkCsrf(HttpExchange ex, Sessions.Session s) {
        String token = ex.getRequestHeaders().getFirst("X-CSRF-Token");
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), s.csrf().getBytes(StandardCharsets.UTF_8))) {
            throw new WebException(403, "missing or wrong CSRF token");
        }
    }

    private static String fileParam(JsonNode b) {
        String id = blank(b.path("fileId").asText(null));
        if (id != null) Review.checkId(id);
        return id;
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    private int serveStatic(HttpExchange ex, String path) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) throw new WebException(405, "method not allowed");
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!name.matches("[a-z0-9-]+\\.(html|css|js)")) throw new WebException(404, "not found");
        String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".css") ? "text/css" : "text/javascript";
        return resource(ex, "web/" + name, type);
    }

    private static int resource(HttpExchange ex, String name, String type) throws IOException {
        byte[] bytes;
        try (InputStream in = WebApp.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new WebException(404, "not found");
            bytes = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
        return 200;
    }

    private static int json(HttpExchange ex, int status, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
        return status;
    }

    private static void error(HttpExchange ex, int status, String message) {
        try {
            json(ex, status, Map.of("error", message, "status", status));
        } catch (IOException | RuntimeException ignored) {
            // response already started or client gone
        }
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readNBytes(1_000_001);
        if (bytes.length > 1_000_000) throw new WebException(413, "request too large");
        if (bytes.length == 0) return JSON.createObjectNode();
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new WebException(400, "body is not JSON");
        }
    }

    private static String cookie(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String t = part.trim();
                if (t.startsWith(COOKIE + "=")) return t.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) return out;
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static int intParam(String s, int dflt) {
        try {
            return s == null ? dflt : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new WebException(400, "not a number");
        }
    }

    private static String blank(String s) { return s == null || s.isBlank() ? null : s; }

    /** Response headers on every reply: no caching of reviewed data, no framing, no sniffing, scripts from self only. */
    static final class Headers {
        static void security(HttpExchange ex) {
            var h = ex.getResponseHeaders();
            h.set("Cache-Control", "no-store");
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
        }
    }

    /** Adds the rule-changing review actions and the pixel workspace (see {@link ReviewActions}). */
    WebApp withActions(ReviewActions actions) {
        this.actions = actions;
        return this;
    }

    /** Starts the web app for a node (see {@code org.haven.app.Haven}); {@code live} are the rules in force, reloaded by review actions. */
    public static WebApp start(org.haven.app.Settings settings, org.haven.store.Store store, org.haven.store.Workspace workspace,
                               org.haven.deidentify.ProfileRegistry profiles, byte[] key, org.apache.camel.CamelContext camel, LiveRules live)
            throws IOException {
        Resubmitter resubmitter = new JmsResubmitter(camel, settings.get("haven.web.resubmit-uri"));
        DeviceDecisions decisions = new RegistryDeviceDecisions(settings.path("haven.devices"), profiles.names(), new RecordedDeviceDecisions(store));
        Review review = new Review(store, workspace, profiles, key, settings.get("haven.project"), resubmitter, decisions);
        Path config = settings.path("haven.config");
        RuleFiles rules = new RuleFiles(settings.path("haven.verify"), settings.path("haven.pixels"));
        Sessions sessions = new Sessions(store, Duration.ofMinutes(settings.getInt("haven.web.session-minutes")));
        Queue queue = new Queue(store);
        RedactFile redact = new RedactFile(config.resolve("clean").resolve("redact.yaml"));
        WebApp app = new WebApp(settings.get("haven.web.bind"), settings.getInt("haven.web.port"), new Users(store), sessions, review,
            queue, rules, settings.getBoolean("haven.web.secure-cookie"));
        app.viewAudit = new ViewAudit(store);
        return app.withActions(new ReviewActions(store, review, queue, rules, redact, live)).start();
    }
}

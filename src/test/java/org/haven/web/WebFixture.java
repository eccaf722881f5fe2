package org.haven.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.haven.pipeline.TestNode;
import org.haven.store.FileRecords;
import org.junit.jupiter.api.Assumptions;

/**
 * A real node with the web app on a free port, a scratch copy of config/ (rules written by the tests land there), a
 * registry that trusts only MR (so corpus CT files are held as unknown-device), and two users.
 */
final class WebFixture implements AutoCloseable {
    static final Path CORPUS = Path.of("../shared/corpus/pydicom/test_files");
    static final String REVIEWER_PASSWORD = "reviewer-password-1";
    static final String ADMIN_PASSWORD = "admin-password-12";
    static final ObjectMapper JSON = new ObjectMapper();
    final TestNode node;
    final Path config;
    final String base;

    static void assumeCorpus() {
        Assumptions.assumeTrue(Files.isRegularFile(CORPUS.resolve("CT_small.dcm")), "../shared/corpus is not present: web end-to-end tests skipped");
    }

    /** A node with the review app on a free port, a copy of config/ and only MR trusted (the caller adds settings, starts it). */
    static TestNode.Builder webNode(Path tmp) throws Exception {
        Path config = tmp.resolve("config");
        copy(Path.of("config"), config);
        return TestNode.builder(tmp.resolve("node")).devices("devices:\n  - id: mr\n    modality: MR\n    state: trusted\n    profile: basic\n")
            .setting("haven.config", config.toString()).setting("haven.web.enabled", "true").setting("haven.web.port", "0");
    }

    /** Signs the admin in from a page of the app's origin before the app itself loads, so no request of the app fails. */
    static void signInAdminFirst(Chrome b, String base) throws Exception {
        b.navigate(base + "/app.css");
        b.eval("fetch('/api/login', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name: 'adam', password: '"
            + ADMIN_PASSWORD + "'})}).then(r => r.status)");
    }

    WebFixture(Path tmp) throws Exception {
        this(tmp, "devices:\n  - id: mr\n    modality: MR\n    state: trusted\n    profile: basic\n", null);
    }

    /** With this registry and, when {@code extraRoute} is not null, a copy of routes/ with that route file added. */
    WebFixture(Path tmp, String devices, String extraRoute) throws Exception {
        config = tmp.resolve("config");
        copy(Path.of("config"), config);
        TestNode.Builder builder = TestNode.builder(tmp.resolve("node")).devices(devices);
        if (extraRoute != null) {
            Path routes = tmp.resolve("routes");
            copy(Path.of("routes"), routes);
            Files.writeString(routes.resolve("zz-test.yaml"), extraRoute);
            builder.setting("haven.routes", routes.toString());
        }
        node = builder
            .setting("haven.config", config.toString())
            .setting("haven.verify", config.resolve("verify").toString())
            .setting("haven.pixels", config.resolve("pixels").toString())
            .setting("haven.profiles", config.resolve("profiles").toString())
            .setting("haven.web.enabled", "true")
            .setting("haven.web.port", "0")
            .start();
        base = "http://127.0.0.1:" + node.haven.web().port();
        Users users = new Users(node.haven.store());
        users.put("rita", "reviewer", REVIEWER_PASSWORD.toCharArray());
        users.put("adam", "admin", ADMIN_PASSWORD.toCharArray());
    }

    /** Submits a file and waits for its outcome. */
    FileRecords.Outcome submit(Path file, String board) throws Exception {
        return node.awaitOutcome(node.submit(file, board), Duration.ofSeconds(60));
    }

    /** Submits a corpus file and waits for its outcome. */
    String hold(String corpusName, String board) throws Exception {
        String id = node.submit(CORPUS.resolve(corpusName), board);
        FileRecords.Outcome o = node.awaitOutcome(id, Duration.ofSeconds(60));
        if (!o.outcome().equals("quarantined")) throw new AssertionError("expected held, got " + o);
        return id;
    }

    FileRecords.Outcome awaitOutcome(String id, String outcome) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var o = node.records.outcome(id);
            if (o.isPresent() && o.get().outcome().equals(outcome)) return o.get();
            Thread.sleep(100);
        }
        throw new AssertionError("file " + id.substring(0, 12) + " did not become " + outcome + ": " + node.records.outcome(id));
    }

    /** An HTTP client with its own cookie jar, signed in or not. */
    final class Client {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String csrf;
        String cookie;

        Client signIn(String name, String password) throws Exception {
            HttpResponse<String> r = post("/api/login", "{\"name\":" + JSON.writeValueAsString(name) + ",\"password\":" + JSON.writeValueAsString(password) + "}");
            if (r.statusCode() != 200) throw new AssertionError("sign-in failed: " + r.statusCode() + " " + r.body());
            csrf = JSON.readTree(r.body()).get("csrf").asText();
            String set = r.headers().firstValue("Set-Cookie").orElseThrow();
            if (!set.contains("HttpOnly") || !set.contains("SameSite=Strict")) throw new AssertionError("session cookie must be HttpOnly, SameSite=Strict");
            cookie = set.substring(0, set.indexOf(';'));
            return this;
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
            return post(path, json, csrf);
        }

        HttpResponse<String> post(String path, String json, String token) throws IOException, InterruptedException {
            HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
            if (token != null) b.header("X-CSRF-Token", token);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpRequest.Builder request(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
            if (cookie != null) b.header("Cookie", cookie);
            return b;
        }

        JsonNode json(HttpResponse<String> r) throws IOException { return JSON.readTree(r.body()); }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    @Override
    public void close() throws IOException { node.close(); }
}

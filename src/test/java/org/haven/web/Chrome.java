package org.haven.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real headless Chromium driven over the DevTools protocol (JDK WebSocket, no driver or extra dependency): navigate,
 * run JavaScript in the page, wait for conditions. Debian package {@code chromium} gives /usr/bin/chromium.
 */
final class Chrome implements AutoCloseable {
    static final Path BINARY = Path.of(System.getenv().getOrDefault("HAVEN_CHROMIUM", "/usr/bin/chromium"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    static void assumeAvailable() {
        org.haven.TestData.require(Files.isExecutable(BINARY),
            "browser tests: " + BINARY + " is missing (apt-get install -y chromium; run.sh installs it as root)");
    }

    Chrome(Path profileDir) throws Exception {
        Files.createDirectories(profileDir);
        process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
            "--remote-allow-origins=*", "--user-data-dir=" + profileDir.toAbsolutePath(), "about:blank")
            .redirectErrorStream(true).redirectOutput(profileDir.resolveSibling("chromium.log").toFile()).start();
        Path portFile = profileDir.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.isRegularFile(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (System.nanoTime() > deadline || !process.isAlive()) throw new IOException("chromium did not start");
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String pageWs = null;
        for (int i = 0; i < 50 && pageWs == null; i++) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : targets) if (t.path("type").asText().equals("page")) pageWs = t.path("webSocketDebuggerUrl").asText();
            if (pageWs == null) Thread.sleep(100);
        }
        if (pageWs == null) throw new IOException("no page target");
        ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new Listener()).get(10, TimeUnit.SECONDS);
        send("Page.enable", Map.of());
        send("Runtime.enable", Map.of());
        send("Log.enable", Map.of());
        send("Network.enable", Map.of());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buf = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buf.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(buf.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) f.complete(msg);
                    } else {
                        event(msg.path("method").asText(), msg.path("params"));
                    }
                } catch (IOException ignored) {
                    // not JSON: ignore
                }
                buf.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    /** Page exceptions, console errors and non-2xx responses since the last {@link #clearProblems()}. */
    private final java.util.Queue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void event(String method, JsonNode p) {
        switch (method) {
            case "Runtime.exceptionThrown" -> problems.add("page exception: " + p.path("exceptionDetails").path("exception").path("description")
                .asText(p.path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                if (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert")) problems.add("console error: " + p.path("args"));
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) problems.add("browser error: " + p.path("entry").path("text").asText()
                    + " " + p.path("entry").path("url").asText());
            }
            case "Network.responseReceived" -> {
                int status = p.path("response").path("status").asInt();
                String url = p.path("response").path("url").asText();
                if ((status < 200 || status >= 300) && url.startsWith("http")) problems.add("HTTP " + status + " " + url);
            }
            default -> { }
        }
    }

    List<String> problems() { return List.copyOf(problems); }

    void clearProblems() { problems.clear(); }

    JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ws.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).get(10, TimeUnit.SECONDS);
        JsonNode r = f.get(30, TimeUnit.SECONDS);
        if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
        return r.path("result");
    }

    void navigate(String url) throws Exception {
        send("Page.navigate", Map.of("url", url));
        waitFor("document.readyState === 'complete'", Duration.ofSeconds(20));
    }

    /** Evaluates an expression (promises awaited) and returns its JSON value. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
        if (r.has("exceptionDetails")) throw new IllegalStateException("page script failed: " + r.get("exceptionDetails").path("exception").path("description").asText(r.get("exceptionDetails").toString()));
        return r.path("result").path("value");
    }

    String text(String expression) throws Exception { return eval(expression).asText(); }

    /** A JavaScript string literal. */
    static String js(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void waitFor(String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (eval("!!(" + condition + ")").asBoolean()) return;
            } catch (IllegalStateException e) {
                // page navigating
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for: " + condition + "\npage: " + eval("document.body ? document.body.innerText.substring(0, 2000) : ''").asText());
    }

    /** Sets an input's value as a user would (input event), by element id. */
    void type(String id, String value) throws Exception {
        waitFor("document.getElementById(" + JSON.writeValueAsString(id) + ")", Duration.ofSeconds(20));
        eval("(() => { const e = document.getElementById(" + JSON.writeValueAsString(id) + "); e.value = " + JSON.writeValueAsString(value)
            + "; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })()");
    }

    void click(String selector) throws Exception {
        waitFor("document.querySelector(" + JSON.writeValueAsString(selector) + ")", Duration.ofSeconds(20));
        eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").click()");
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

}

package org.haven.export;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Orthanc (Debian orthanc + orthanc-dicomweb) as the research PACS: its own JSON config, storage and free ports
 * in a temp folder, started and stopped by the test; checked through its REST API.
 */
final class Orthanc implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/Orthanc");
    static final Path DICOMWEB = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final String aeTitle;
    final int dicomPort;
    final int httpPort;
    private Process process;

    Orthanc(Path dir, String aeTitle) throws IOException {
        this.dir = dir;
        this.aeTitle = aeTitle;
        this.dicomPort = freePort();
        this.httpPort = freePort();
    }

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isRegularFile(DICOMWEB),
            "Orthanc is not installed: apt-get install orthanc orthanc-dicomweb");
    }

    Orthanc start() throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Path config = dir.resolve("orthanc.json");
        Files.writeString(config, """
            {"Name": "%s", "StorageDirectory": "%s", "IndexDirectory": "%s", "HttpPort": %d, "DicomPort": %d,
             "DicomAet": "%s", "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "DicomAlwaysAllowStore": true,
             "DicomCheckCalledAet": false, "HttpServerEnabled": true, "Plugins": ["%s"],
             "DicomWeb": {"Enable": true, "Root": "/dicom-web/"}}
            """.formatted(aeTitle, dir.resolve("db"), dir.resolve("db"), httpPort, dicomPort, aeTitle, DICOMWEB));
        process = new ProcessBuilder(BINARY.toString(), config.toString()).redirectErrorStream(true)
            .redirectOutput(dir.resolve("orthanc.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (get("/system").has("DicomAet")) return this;
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) throw new IllegalStateException("Orthanc exited: see " + dir.resolve("orthanc.log"));
            Thread.sleep(100);
        }
        throw new IllegalStateException("Orthanc did not start in 30 s");
    }

    String dicomWebUrl() { return "http://127.0.0.1:" + httpPort + "/dicom-web"; }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("Orthanc " + path + ": HTTP " + r.statusCode());
        return JSON.readTree(r.body());
    }

    int instanceCount() throws Exception { return get("/statistics").get("CountInstances").asInt(); }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}

package org.haven.export;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * DICOMweb STOW-RS (PS3.18 10.5): each released file is POSTed to {@code <url>/studies} as a one-part
 * multipart/related; type="application/dicom" request, with the JDK's HTTP client. 200 without a Failed SOP Sequence
 * (0008,1198) in the reply is delivered; anything else is a failed attempt, retried with back-off.
 */
final class StowSender implements Sender {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Destination destination;

    StowSender(Destination destination) { this.destination = destination; }

    @Override
    public Map<String, String> send(Map<String, Path> files) throws Exception {
        Map<String, String> result = new LinkedHashMap<>();
        URI studies = URI.create(destination.url() + "/studies");
        for (Map.Entry<String, Path> f : files.entrySet()) {
            String boundary = "haven-" + UUID.randomUUID();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(Files.readAllBytes(f.getValue()));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            HttpRequest.Builder request = HttpRequest.newBuilder(studies).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            if (destination.authorizationEnv() != null) {
                String auth = System.getenv(destination.authorizationEnv());
                if (auth == null || auth.isBlank()) {
                    result.put(f.getKey(), "environment variable " + destination.authorizationEnv() + " is not set");
                    continue;
                }
                request.header("Authorization", auth);
            }
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                boolean failedSop = failedSopCount(response.body()) > 0;
                result.put(f.getKey(), response.statusCode() == 200 && !failedSop ? null
                    : "STOW-RS answered HTTP " + response.statusCode() + (failedSop ? " with a Failed SOP Sequence" : ""));
            } catch (java.io.IOException e) {
                result.put(f.getKey(), "STOW-RS to " + studies.getHost() + " failed: " + e.getClass().getSimpleName());
            }
        }
        return result;
    }

    /** Items in the reply's Failed SOP Sequence (0008,1198); some servers send it empty on success. */
    static int failedSopCount(String body) {
        if (body == null || body.isBlank()) return 0;
        try {
            com.fasterxml.jackson.databind.JsonNode reply = JSON.readTree(body);
            com.fasterxml.jackson.databind.JsonNode failed = reply.path("00081198").path("Value");
            return failed.isArray() ? failed.size() : 0;
        } catch (java.io.IOException e) {
            return 0; // not JSON (e.g. an XML reply): the HTTP status decides
        }
    }
}

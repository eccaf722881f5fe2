package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Lock-down (issue 13): sign-in throttling and lockout with audited failures, audited views of unmasked originals,
 * a server that stalled clients cannot exhaust, and owner-only folders for everything that holds identifiers.
 */
class LockdownTest {
    @TempDir
    Path tmp;

    @Test
    void signInIsThrottledViewsAreAuditedStalledClientsTimeOutAndFoldersAreOwnerOnly() throws Exception {
        Logger webLog = (Logger) LoggerFactory.getLogger(WebApp.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        webLog.addAppender(lines);
        try (WebFixture web = new WebFixture(tmp)) {
            // 1. forty wrong passwords, then the right one: refused (locked), and every failure names user and address
            WebFixture.Client guesser = web.new Client();
            int locked = 0;
            for (int i = 0; i < 40; i++) {
                int status = guesser.post("/api/login", "{\"name\":\"rita\",\"password\":\"guess-" + i + "\"}").statusCode();
                assertThat(status).isIn(401, 429);
                if (status == 429) locked++;
            }
            assertThat(locked).as("attempts refused while locked").isGreaterThan(30);
            HttpResponse<String> right = guesser.post("/api/login", "{\"name\":\"rita\",\"password\":\"" + WebFixture.REVIEWER_PASSWORD + "\"}");
            assertThat(right.statusCode()).as("the right password while locked").isEqualTo(429);
            assertThat(right.headers().firstValue("Retry-After")).isPresent();
            assertThat(lines.list.stream().map(ILoggingEvent::getFormattedMessage))
                .anyMatch(m -> m.contains("sign-in refused for user 'rita' from 127.0.0.1"))
                .anyMatch(m -> m.contains("locked"));
            // another account from the same address is not locked out by rita's guesser
            WebFixture.Client adam = web.new Client().signIn("adam", WebFixture.ADMIN_PASSWORD);

            // 2. a held file's original viewed: audited with who and what
            Path synth = tmp.resolve("synth");
            AnswerKey key = new SyntheticArchive(9L).write(1, synth);
            AnswerKey.FileEntry ct = key.files().stream().filter(f -> !f.modality().equals("MR")).findFirst().orElseThrow();
            String id = web.node.submit(synth.resolve(ct.path()), "lothian");
            web.awaitOutcome(id, "quarantined");
            assertThat(adam.get("/api/files/" + id).statusCode()).isEqualTo(200);
            assertThat(adam.get("/api/files/" + id + "/preview.png").statusCode()).isEqualTo(200);
            assertThat(events(web, id)).contains("adam:attributes (original values)", "adam:pixels (original preview)");

            // 3. more stalled clients than server threads: a normal request is still answered
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 24; i++) {
                    Socket s = new Socket("127.0.0.1", web.node.haven.web().port());
                    OutputStream o = s.getOutputStream();
                    o.write("GET /api/session HTTP/1.1\r\nHost: x\r\nX-Stall: ".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    stalled.add(s);
                }
                Thread.sleep(300);
                HttpResponse<String> r = adam.http.send(HttpRequest.newBuilder(URI.create(web.base + "/api/session"))
                    .timeout(Duration.ofSeconds(30)).header("Cookie", adam.cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            } finally {
                for (Socket s : stalled) s.close();
            }

            // 4. folders holding identifiers are the Haven user's alone
            Path work = web.node.root.resolve("work");
            for (Path p : List.of(work, work.resolve("staging"), work.resolve("outgoing"), work.resolve("release"), work.resolve("quarantine"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as("%s", p).isEqualTo("rwx------");
            }
        } finally {
            webLog.detachAppender(lines);
        }
    }

    static List<String> events(WebFixture web, String fileId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = web.node.haven.store().connection();
             PreparedStatement ps = c.prepareStatement("select actor, detail from file_event where file_id = ? and event = 'viewed-original'")) {
            ps.setString(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1) + ":" + rs.getString(2));
            }
        }
        return out;
    }
}

package org.haven.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.haven.app.Settings;
import org.haven.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users (PBKDF2), sessions (expiry), the user command, and pixel rules written from review. */
class UsersAndRulesTest {
    @TempDir
    Path tmp;

    @Test
    void passwordsAreSaltedPbkdf2AndSessionsExpire() throws Exception {
        try (Store store = Store.open("jdbc:h2:mem:users" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2)) {
            Users users = new Users(store);
            assertThat(users.authenticate("nobody", "anything-at-all".toCharArray())).isEmpty();
            users.put("rita", "reviewer", "correct horse battery".toCharArray());
            assertThat(users.authenticate("rita", "correct horse battery".toCharArray())).contains(new Users.User("rita", "reviewer"));
            assertThat(users.authenticate("rita", "correct horse batterx".toCharArray())).isEmpty();
            String a = Users.hash("same-password-123".toCharArray()), b = Users.hash("same-password-123".toCharArray());
            assertThat(a).startsWith("pbkdf2-sha256$210000$").isNotEqualTo(b);
            assertThatThrownBy(() -> users.put("x", "reviewer", "short".toCharArray())).hasMessageContaining("12 characters");
            assertThatThrownBy(() -> users.put("x", "root", "long-enough-password".toCharArray())).hasMessageContaining("role");

            Sessions sessions = new Sessions(store, Duration.ofMillis(300));
            Sessions.Session s = sessions.create(users.authenticate("rita", "correct horse battery".toCharArray()).orElseThrow());
            assertThat(sessions.find(s.token())).isPresent();
            Thread.sleep(500);
            assertThat(sessions.find(s.token())).as("idle session expired").isEmpty();
            Sessions.Session s2 = new Sessions(store, Duration.ofMinutes(5)).create(new Users.User("rita", "reviewer"));
            users.disable("rita");
            assertThat(new Sessions(store, Duration.ofMinutes(5)).find(s2.token())).as("disabled user's sessions end").isEmpty();
        }
    }

    @Test
    void userCommandReadsStdinOrGeneratesOnce() throws Exception {
        String url = "jdbc:h2:file:" + tmp.resolve("db").toAbsolutePath();
        Settings settings = Settings.load(null, Map.of(), Map.of("haven.db.url", url));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new org.haven.cli.UserCommandAccess().run(settings, "my-long-password-1\n", out, List.of("add", "rita", "--role", "reviewer"));
        assertThat(out.toString()).contains("user rita (reviewer) saved").doesNotContain("my-long-password-1");
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        new org.haven.cli.UserCommandAccess().run(settings, "", out2, List.of("add", "adam", "--role", "admin"));
        String generated = out2.toString().replaceAll("(?s).*password \\(shown once\\): (\\S+).*", "$1");
        assertThat(generated).hasSize(20);
        try (Store store = Store.open(url, "sa", "", 2)) {
            assertThat(new Users(store).authenticate("rita", "my-long-password-1".toCharArray())).isPresent();
            assertThat(new Users(store).authenticate("adam", generated.toCharArray())).map(Users.User::role).contains("admin");
        }
    }

    @Test
    void pixelBoxesAreValidatedAndAppended() throws Exception {
        RuleFiles rules = new RuleFiles(tmp.resolve("verify"), tmp.resolve("pixels"));
        rules.addPixelBoxes("us-acme-top", "from review", "US", "ACME", "Sono 1", 480, 640, List.of(new RuleFiles.Box(0, 0, 640, 40)));
        assertThatThrownBy(() -> rules.addPixelBoxes("us-acme-out", "x", "US", "ACME", "Sono 1", 480, 640, List.of(new RuleFiles.Box(600, 0, 100, 10))))
            .hasMessageContaining("outside");
        assertThatThrownBy(() -> rules.addPixelBoxes("Bad Id", "x", "US", null, null, 480, 640, List.of(new RuleFiles.Box(0, 0, 1, 1))))
            .hasMessageContaining("id");
        assertThatThrownBy(() -> rules.addPixelBoxes("us-acme-top", "again", "US", null, null, 480, 640, List.of(new RuleFiles.Box(0, 0, 1, 1))))
            .hasMessageContaining("duplicate");
        rules.addPixelBoxes("us-acme-bottom", "quote \" and: colon", "US", "ACME", null, 480, 640, List.of(new RuleFiles.Box(0, 440, 640, 40)));
        String text = Files.readString(rules.pixelFile(), StandardCharsets.UTF_8);
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(text);
        @SuppressWarnings("unchecked") List<Map<String, Object>> list = (List<Map<String, Object>>) doc.get("rules");
        // newest first: a rule from review extends the one the device had, so it must win (first match)
        assertThat(list).extracting(m -> m.get("id")).containsExactly("us-acme-bottom", "us-acme-top");
        assertThat(list.get(1).get("when")).isEqualTo(Map.of("Modality", "US", "Manufacturer", "ACME", "ManufacturerModelName", "Sono 1", "Rows", 480, "Columns", 640));
        assertThat(list.get(0).get("description")).isEqualTo("quote \" and: colon");
    }

    static PrintStream ps(ByteArrayOutputStream o) { return new PrintStream(o, true, StandardCharsets.UTF_8); }

    static ByteArrayInputStream in(String s) { return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)); }
}

package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes come from the file system and a saved edit takes effect without a restart; a broken edit is rejected. */
class RouteReloadTest {
    @TempDir
    Path tmp;

    @Test
    void newRouteFileIsLoadedAndBrokenEditRejectedWhileRunning() throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            for (Path f : s.toList()) Files.copy(f, routes.resolve(f.getFileName()));
        }
        try (TestNode node = TestNode.builder(tmp.resolve("n")).setting("haven.routes", routes.toString())
                .setting("haven.routes.reload", "true").start()) {
            int before = node.haven.camel().getRoutes().size();
            Path probe = routes.resolve("board-probe.yaml");
            Path part = routes.resolve("board-probe.yaml.part");
            Files.writeString(part, """
                - route:
                    id: board-probe
                    from:
                      uri: direct:board-probe
                      steps:
                        - setBody:
                            constant: "reloaded"
                """);
            Files.move(part, probe);
            awaitRoute(node, "board-probe", true);
            assertThat(node.haven.camel().createProducerTemplate().requestBody("direct:board-probe", "", String.class)).isEqualTo("reloaded");

            org.apache.camel.support.RouteWatcherReloadStrategy reload =
                node.haven.camel().hasService(org.apache.camel.support.RouteWatcherReloadStrategy.class);
            assertThat(reload).as("route reload is on").isNotNull();
            int failedBefore = reload.getFailedCounter();
            Files.writeString(probe, "- route:\n    id: board-probe\n    from: [this is not a route\n");
            // positive signal: the broken edit was read and its reload failed
            for (int i = 0; i < 400 && reload.getFailedCounter() == failedBefore; i++) Thread.sleep(50);
            assertThat(reload.getFailedCounter()).as("the broken edit was read and rejected").isGreaterThan(failedBefore);
            assertThat(node.haven.camel().getRoute("board-probe")).as("old route runs on after a broken edit").isNotNull();
            assertThat(node.haven.camel().getRoutes().size()).isEqualTo(before + 1);
        }
    }

    static void awaitRoute(TestNode node, String id, boolean present) throws InterruptedException {
        for (int i = 0; i < 200 && (node.haven.camel().getRoute(id) != null) != present; i++) Thread.sleep(50);
        assertThat(node.haven.camel().getRoute(id) != null).as("route %s present", id).isEqualTo(present);
    }
}

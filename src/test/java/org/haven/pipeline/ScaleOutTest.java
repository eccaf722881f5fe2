package org.haven.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.activemq.broker.BrokerService;
import org.haven.synth.AnswerKey;
import org.haven.synth.SyntheticArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: two worker nodes on one external broker (an ActiveMQ broker reached over TCP, not in either node),
 * one PostgreSQL store and one shared workspace. Work submitted on one node is shared by both, and every file gets
 * exactly one fate.
 */
class ScaleOutTest {
    @TempDir
    Path tmp;

    @Test
    void twoNodesShareTheQueues() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BrokerService broker = new BrokerService();
        broker.setBrokerName("external");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.addConnector("tcp://127.0.0.1:" + port);
        broker.start();
        broker.waitUntilStarted();
        Path archive = tmp.resolve("synth");
        AnswerKey key = new SyntheticArchive(11L).write(12, archive);
        Path shared = tmp.resolve("shared");
        String url = "tcp://127.0.0.1:" + port;
        try (TestNode a = node(shared, url, "a").postgres("haven_it_scale").start();
             TestNode b = node(shared, url, "b").setting("haven.db.url", TestNode.POSTGRES_URL + "?currentSchema=haven_it_scale")
                 .setting("haven.db.user", "postgres").start()) {
            List<String> ids = new ArrayList<>();
            for (AnswerKey.FileEntry f : key.files()) ids.add(a.submit(archive.resolve(f.path()), f.board()));
            for (String id : ids) a.awaitOutcome(id, Duration.ofSeconds(120));

            Map<String, Integer> deciders = new TreeMap<>();
            try (Connection c = a.haven.store().connection();
                 PreparedStatement ps = c.prepareStatement("select node, count(*) from file_outcome group by node");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) deciders.put(rs.getString(1), rs.getInt(2));
            }
            System.out.println("scale-out: " + ids.size() + " files decided by " + deciders);
            assertThat(deciders.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ids.size());
            assertThat(deciders).as("both nodes took work from the shared queues").containsKeys("node-a", "node-b");
        } finally {
            broker.stop();
        }
    }

    static TestNode.Builder node(Path shared, String brokerUrl, String name) {
        return TestNode.builder(shared.resolve("config-" + name))
            .setting("haven.workspace", shared.resolve("work").toString())
            .setting("haven.broker.embedded", "false")
            .setting("haven.broker.url", brokerUrl)
            .setting("haven.inbox.enabled", "false") // one node per inbox: here nobody polls it
            .setting("haven.node", "node-" + name)
            .devices(TestNode.trustAll("research"));
    }
}

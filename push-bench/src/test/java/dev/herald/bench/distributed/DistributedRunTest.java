package dev.herald.bench.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.bench.cli.TaskArguments;
import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.testing.StubAccessNode;
import dev.herald.testsupport.RedisExtension;
import io.lettuce.core.RedisClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** A coordinator and two agents on one machine, meeting in a real Redis, running against a stub node. */
class DistributedRunTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private final HttpClient http = HttpClient.newHttpClient();
    private StubAccessNode node;
    private RedisClient redis;
    private Agent agentA;
    private Agent agentB;
    private Coordinator coordinator;

    @BeforeEach
    void start() throws Exception {
        node = new StubAccessNode("demo", "demo-secret-0123456789");
        redis = RedisClient.create("redis://" + REDIS.host() + ":" + REDIS.port());
        agentA = agent("agent-a");
        agentB = agent("agent-b");
        coordinator = new Coordinator(redis, new InetSocketAddress("127.0.0.1", 0), new TaskArguments(),
                Duration.ofSeconds(2), new PrintStream(new ByteArrayOutputStream(), true));
    }

    private Agent agent(String name) {
        Agent agent = new Agent(redis, new Agent.Settings(name, 1, List.of(), Duration.ofMillis(200), Duration.ofMillis(50)));
        agent.start();
        return agent;
    }

    @AfterEach
    void stop() {
        coordinator.close();
        agentA.close();
        agentB.close();
        redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        node.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> response) {
        return ReportWriter.JSON.readTree(response.body());
    }

    @Test
    void aTaskRunsOnBothAgentsAndItsResultsAreAggregatedAndKept() throws Exception {
        assertThat(json(get("/agents")).path("agents")).extracting(a -> a.path("name").asString())
                .containsExactly("agent-a", "agent-b");

        HttpResponse<String> accepted = post("/tasks", """
                {"scenario":"connect","clientsPerAgent":3,
                 "args":["--access","%s","--hold","0","--connect-rate","0","--event-loops","1","--secret","demo-secret-0123456789"]}""".formatted(node.address()));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = json(accepted).path("id").asString();
        assertThat(accepted.headers().firstValue("Location")).hasValue("/tasks/" + id);

        await().atMost(Duration.ofSeconds(30)).until(() -> !List.of("queued", "running")
                .contains(json(get("/tasks/" + id)).path("state").asString()));
        JsonNode task = json(get("/tasks/" + id));
        assertThat(task.path("state").asString()).as(task.toString()).isEqualTo("done");
        assertThat(task.path("agents")).extracting(JsonNode::asString).containsExactly("agent-a", "agent-b");
        assertThat(task.path("request").path("args").toString()).contains("\"--secret\",\"***\"").doesNotContain("demo-secret");
        JsonNode report = task.path("report");
        assertThat(report.path("phases").get(0).path("figures").path("connected").asInt()).isEqualTo(6);
        assertThat(report.path("phases").get(0).path("figures").path("handshake").path("count").asInt()).isEqualTo(6);
        assertThat(report.path("workers")).extracting(w -> w.path("worker").asString() + "=" + w.path("connected").asInt())
                .containsExactly("agent-a=3", "agent-b=3");
        assertThat(task.path("summary").get(0).asString()).startsWith("[connect] 6/6 devices connected");
        // agent i runs devices i*3 .. i*3+2: together every device once
        assertThat(node.loggedIn()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 6).mapToObj(i -> "bench-" + i).toList());

        JsonNode list = json(get("/tasks")).path("tasks");
        assertThat(list.get(0).path("id").asString()).isEqualTo(id);
        assertThat(list.get(0).path("report").isNull() || list.get(0).path("report").isMissingNode()).isTrue();
    }

    @Test
    void badTasksAreRefusedWithAProblem() throws Exception {
        HttpResponse<String> unknown = post("/tasks", "{\"scenario\":\"chat\",\"clientsPerAgent\":1}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(unknown).path("detail").asString()).contains("scenario must be one of");

        assertThat(post("/tasks", "{\"scenario\":\"unicast\",\"clientsPerAgent\":1,\"args\":[\"--rate\",\"fast\"]}").statusCode()).isEqualTo(400);
        assertThat(post("/tasks", "not json").statusCode()).isEqualTo(400);
        assertThat(get("/tasks/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aTaskNeedingMoreAgentsThanAreLiveFails() throws Exception {
        String id = json(post("/tasks", "{\"scenario\":\"connect\",\"clientsPerAgent\":1,\"agents\":3,\"args\":[\"--hold\",\"0\"]}"))
                .path("id").asString();

        await().atMost(Duration.ofSeconds(10)).until(() -> json(get("/tasks/" + id)).path("state").asString().equals("failed"));
        assertThat(json(get("/tasks/" + id)).path("error").asString()).contains("needs 3 live agent(s), has 2");
    }
}

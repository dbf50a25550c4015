package dev.herald.bench.distributed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.bench.report.Phase;
import dev.herald.bench.report.Report;
import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.scenario.Scenario;
import dev.herald.bench.scenario.ScenarioRunner;
import dev.herald.bench.scenario.ScenarioSpec;
import dev.herald.protocol.MessageId;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Takes load tasks over HTTP, runs them one after the other on the live agents, aggregates their
 * results into one report and keeps tasks and reports in Redis.
 *
 * <pre>
 * POST /tasks        {"scenario":"broadcast","clientsPerAgent":5000,"agents":2,"args":["--messages","50","--burst"]}
 *                    → 202 {"id":..., "state":"queued", "status":"/tasks/{id}"}
 * GET  /tasks        newest first, without the reports
 * GET  /tasks/{id}   one task with its aggregated report
 * GET  /agents       live agents
 * </pre>
 * Errors are {@code application/problem+json}.
 */
public final class Coordinator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final AgentRegistry registry;
    private final TaskStore tasks;
    private final ScenarioParser parser;
    private final PrintStream out;
    private final ExecutorService runner;
    private final HttpServer server;

    /**
     * @param agentLiveness agents whose heartbeat is older are not given tasks
     * @param out where the phase lines of running tasks are printed
     */
    public Coordinator(RedisClient client, InetSocketAddress bind, ScenarioParser parser, Duration agentLiveness,
                       PrintStream out) throws IOException {
        this.connection = client.connect();
        this.redis = connection.sync();
        this.registry = new AgentRegistry(redis, agentLiveness);
        this.tasks = new TaskStore(redis);
        this.parser = parser;
        this.out = out;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-coordinator-tasks");
            t.setDaemon(true);
            return t;
        });
        tasks.failUnfinished("the coordinator restarted before the task finished");
        this.server = HttpServer.create(bind, 64);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-coordinator-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/tasks", this::tasks);
        server.createContext("/agents", this::agents);
        server.start();
        log.info("coordinator listening on http://{}:{}", bind.getHostString(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void tasks(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
            String method = exchange.getRequestMethod();
            if (path.equals("/tasks") && method.equals("POST")) {
                submit(exchange);
            } else if (path.equals("/tasks") && method.equals("GET")) {
                List<TaskRecord> list = new ArrayList<>();
                for (TaskRecord t : tasks.list(100)) {
                    list.add(t.withoutReport());
                }
                json(exchange, 200, Map.of("tasks", list));
            } else if (path.startsWith("/tasks/") && method.equals("GET")) {
                TaskRecord task = tasks.find(path.substring("/tasks/".length()));
                if (task == null) {
                    problem(exchange, 404, "Not Found", "no task " + path.substring("/tasks/".length()));
                } else {
                    json(exchange, 200, task);
                }
            } else {
                problem(exchange, 405, "Method Not Allowed", method + " " + path + " is not supported");
            }
        } catch (RuntimeException e) {
            log.warn("request failed", e);
            problem(exchange, 500, "Internal Server Error", e.toString());
        } finally {
            exchange.close();
        }
    }

    private void submit(HttpExchange exchange) throws IOException {
        TaskRequest request;
        try (InputStream body = exchange.getRequestBody()) {
            request = ReportWriter.JSON.readValue(body, TaskRequest.class);
        } catch (JacksonException e) {
            problem(exchange, 400, "Bad Request", "body is not a task: " + e.getOriginalMessage());
            return;
        }
        String error = check(request);
        if (error != null) {
            problem(exchange, 400, "Bad Request", error);
            return;
        }
        String id = MessageId.generate().toString();
        // The record shown over REST masks the app secret; the run itself needs the real one.
        TaskRecord task = new TaskRecord(id, TaskRecord.QUEUED, request.redacted(), Instant.now().toString(), null, null,
                List.of(), List.of(), null, null);
        tasks.save(task);
        runner.execute(() -> execute(task, request));
        exchange.getResponseHeaders().set("Location", "/tasks/" + id);
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("id", id);
        accepted.put("state", TaskRecord.QUEUED);
        accepted.put("status", "/tasks/" + id);
        json(exchange, 202, accepted);
    }

    private String check(TaskRequest request) {
        if (request == null || request.scenario() == null || !Scenario.NAMES.contains(request.scenario())) {
            return "scenario must be one of " + Scenario.NAMES;
        }
        if (request.clientsPerAgent() < 0) {
            return "clientsPerAgent must be >= 0";
        }
        if (request.agents() != null && request.agents() < 1) {
            return "agents must be >= 1 when given";
        }
        try {
            parser.parse(request.scenario(), request.args());
            return null;
        } catch (IllegalArgumentException e) {
            return "args: " + e.getMessage();
        }
    }

    private void execute(TaskRecord queued, TaskRequest request) {
        TaskRecord task = queued;
        try {
            List<String> agents = new ArrayList<>();
            for (AgentInfo agent : registry.live()) {
                agents.add(agent.name());
            }
            if (request.agents() != null && agents.size() > request.agents()) {
                agents = agents.subList(0, request.agents());
            }
            if (agents.isEmpty() || (request.agents() != null && agents.size() < request.agents())) {
                throw new IllegalStateException("needs " + (request.agents() == null ? "at least 1" : request.agents())
                        + " live agent(s), has " + agents.size());
            }
            ScenarioSpec parsed = parser.parse(request.scenario(), request.args());
            ScenarioSpec spec = parsed.withDevices(parsed.devices().withDevices(parsed.devices().firstDevice(),
                    request.clientsPerAgent() * agents.size()));
            task = task.running(Instant.now().toString(), agents);
            tasks.save(task);
            log.info("task {}: {} with {} devices on agents {}", task.id(), request.scenario(), spec.devices().devices(), agents);
            Report report = ScenarioRunner.run(spec, new RemoteWorkers(redis, task.id(), agents, request.clientsPerAgent()), out);
            List<String> lines = new ArrayList<>();
            for (Phase phase : report.phases()) {
                lines.add(phase.line());
            }
            tasks.save(task.done(Instant.now().toString(), lines, report));
            log.info("task {} done", task.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tasks.save(task.failed(Instant.now().toString(), "coordinator stopped"));
        } catch (RuntimeException e) {
            log.warn("task {} failed: {}", task.id(), e.toString());
            tasks.save(task.failed(Instant.now().toString(), e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private void agents(HttpExchange exchange) throws IOException {
        try {
            if (exchange.getRequestMethod().equals("GET")) {
                json(exchange, 200, Map.of("agents", registry.live()));
            } else {
                problem(exchange, 405, "Method Not Allowed", "only GET");
            }
        } finally {
            exchange.close();
        }
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", ReportWriter.JSON.writeValueAsBytes(body));
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        send(exchange, status, "application/problem+json", ReportWriter.JSON.writeValueAsBytes(problem));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type + ";charset=" + StandardCharsets.UTF_8.name().toLowerCase());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        runner.shutdownNow();
        try {
            runner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}

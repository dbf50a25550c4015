package dev.herald.configserver.admin;

import dev.herald.configserver.ConfigServerProperties;
import dev.herald.configserver.problem.FieldProblem;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.tree.ConfigPath;
import dev.herald.configserver.tree.NodeState;
import dev.herald.configserver.zookeeper.ZooKeeperUnavailableException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The admin API on the config tree ({@link ConfigApi} describes the routes). */
@RestController
public final class ConfigController implements ConfigApi {

    public static final String DEFAULT_OPERATOR = "admin";

    private static final int MAX_OPERATOR_LENGTH = 128;

    private final ConfigEditor editor;
    private final Duration requestTimeout;

    public ConfigController(ConfigEditor editor, ConfigServerProperties properties) {
        this.editor = editor;
        this.requestTimeout = properties.zookeeper().requestTimeout();
    }

    @Override
    public Mono<List<ConfigNodeSummary>> list() {
        return blocking(() -> editor.list().stream().map(ConfigNodeSummary::of).toList());
    }

    @Override
    public Mono<ConfigNodeView> read(String path) {
        ConfigPath parsed = parsePath(path);
        return blocking(() -> ConfigNodeView.of(editor.read(parsed)));
    }

    @Override
    public Mono<ResponseEntity<ConfigNodeView>> create(String path, String operatorHeader,
                                                       CreateNodeRequest request) {
        ConfigPath parsed = parsePath(path);
        List<FieldProblem> problems = new ArrayList<>();
        String operator = operator(operatorHeader, problems);
        NodeState state = request.state() == null ? NodeState.ONLINE : state(request.state(), problems);
        rejectIfAny(problems);
        return blocking(() -> ConfigNodeView.of(editor.create(parsed, request.value(), state, operator)))
                .map(view -> ResponseEntity.status(HttpStatus.CREATED)
                        .location(URI.create(CONFIG_PREFIX + "/" + view.path()))
                        .body(view));
    }

    @Override
    public Mono<ConfigNodeView> update(String path, String operatorHeader, UpdateNodeRequest request) {
        ConfigPath parsed = parsePath(path);
        List<FieldProblem> problems = new ArrayList<>();
        String operator = operator(operatorHeader, problems);
        int expectedVersion = expectedVersion(request.expectedVersion(), "expectedVersion", problems);
        NodeState state = request.state() == null ? null : state(request.state(), problems);
        rejectIfAny(problems);
        return blocking(() -> ConfigNodeView.of(editor.replace(parsed, expectedVersion, request.value(), state,
                operator)));
    }

    @Override
    public Mono<ResponseEntity<Void>> delete(String path, Integer expectedVersion) {
        ConfigPath parsed = parsePath(path);
        List<FieldProblem> problems = new ArrayList<>();
        int version = expectedVersion(expectedVersion, "expectedVersion", problems);
        rejectIfAny(problems);
        return blocking(() -> {
            editor.delete(parsed, version);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @Override
    public Mono<List<HistoryEntryView>> history(String path) {
        ConfigPath parsed = parsePath(path);
        return blocking(() -> editor.history(parsed).stream().map(HistoryEntryView::of).toList());
    }

    @Override
    public Mono<ConfigNodeView> changeState(String path, String operatorHeader, StateChangeRequest request) {
        ConfigPath parsed = parsePath(path);
        List<FieldProblem> problems = new ArrayList<>();
        String operator = operator(operatorHeader, problems);
        NodeState state = state(request.state(), problems);
        int expectedVersion = expectedVersion(request.expectedVersion(), "expectedVersion", problems);
        rejectIfAny(problems);
        return blocking(() -> ConfigNodeView.of(editor.changeState(parsed, expectedVersion, state, operator)));
    }

    /** Runs blocking ZooKeeper work off the event loop, bounded by the request timeout. */
    private <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work)
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(requestTimeout, Mono.error(() -> new ZooKeeperUnavailableException(
                        "no answer within " + requestTimeout.toMillis() + " ms", null)));
    }

    private static ConfigPath parsePath(String raw) {
        ConfigPath.ParseResult parsed = ConfigPath.parse(raw);
        if (!parsed.ok()) {
            throw FieldProblem.rejection(List.of(new FieldProblem("path", ProblemCode.INVALID_PATH,
                    parsed.problem())));
        }
        return parsed.path();
    }

    private static NodeState state(String text, List<FieldProblem> problems) {
        return NodeState.parse(text).orElseGet(() -> {
            problems.add(new FieldProblem("state", ProblemCode.INVALID_REQUEST,
                    "state must be 'online' or 'offline'" + (text == null ? "." : ", not '" + text + "'.")));
            return null;
        });
    }

    private static int expectedVersion(Integer version, String field, List<FieldProblem> problems) {
        if (version == null || version < 0) {
            problems.add(new FieldProblem(field, ProblemCode.INVALID_REQUEST, field + " is "
                    + (version == null ? "missing" : "negative") + ": send the version you read (GET the node)."));
            return -1;
        }
        return version;
    }

    private static String operator(String header, List<FieldProblem> problems) {
        if (header == null || header.isBlank()) {
            return DEFAULT_OPERATOR;
        }
        String operator = header.strip();
        if (operator.length() > MAX_OPERATOR_LENGTH || operator.chars().anyMatch(Character::isISOControl)) {
            problems.add(new FieldProblem(OPERATOR_HEADER, ProblemCode.INVALID_REQUEST, OPERATOR_HEADER
                    + " must be at most " + MAX_OPERATOR_LENGTH + " characters without control characters."));
        }
        return operator;
    }

    private static void rejectIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw FieldProblem.rejection(problems);
        }
    }
}

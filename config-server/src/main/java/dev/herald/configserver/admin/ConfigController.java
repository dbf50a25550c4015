package dev.herald.configserver.admin;

import dev.herald.configserver.ConfigServerProperties;
import dev.herald.configserver.OpenApiConfig;
import dev.herald.configserver.problem.FieldProblem;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.problem.RejectedRequestException;
import dev.herald.configserver.tree.ConfigPath;
import dev.herald.configserver.tree.NodeState;
import dev.herald.configserver.zookeeper.ZooKeeperUnavailableException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The admin API on the config tree. Paths are captured whole ({@code {*path}}, slashes included), so the
 * history and the state of a node have their own prefixes ({@code /admin/v1/history/...},
 * {@code /admin/v1/state/...}) instead of a suffix that a node could be named after.
 */
@RestController
@Tag(name = "Config", description = "Read and change the config tree in ZooKeeper, with versions and history.")
@SecurityRequirement(name = OpenApiConfig.SECURITY_SCHEME)
public final class ConfigController {

    public static final String CONFIG_PREFIX = "/admin/v1/config";
    public static final String HISTORY_PREFIX = "/admin/v1/history";
    public static final String STATE_PREFIX = "/admin/v1/state";
    public static final String OPERATOR_HEADER = "X-Herald-Operator";
    public static final String DEFAULT_OPERATOR = "admin";

    private static final int MAX_OPERATOR_LENGTH = 128;
    private static final String PATH_DESCRIPTION = """
            Path of the config node below `<root>/config`: 1 to 4 segments of `[A-Za-z0-9._-]` separated by `/` \
            (unencoded), for example `apps/demo` or `global/blacklist-ips`.""";
    private static final String VALUE_RULES = """

            The value is checked by path:
            - `apps/<appId>`: an app, `{"id", "name", "key", "secrets", "cell", "limits", "callbackUrl"}`. `id` \
            equals `<appId>`; `key` is non-blank and unique among the apps (`DUPLICATE_KEY` otherwise); `secrets` \
            holds 1 or 2 secrets of at least 16 characters (the first signs device tokens, both are accepted); \
            `cell` (default `default`) matches `[A-Za-z0-9._-]{1,64}`; `limits.messagesPerSecond` and \
            `limits.messagesPerDay` ≥ 0 (default 0 = no limit); `callbackUrl` is null or an absolute http(s) URL. Left-out members are stored with their \
            defaults.
            - `global/blacklist-ips`: `{"entries": [...]}`, each an IPv4 or IPv6 address or CIDR range.
            - anything else: any JSON object.""";

    private final ConfigEditor editor;
    private final Duration requestTimeout;

    public ConfigController(ConfigEditor editor, ConfigServerProperties properties) {
        this.editor = editor;
        this.requestTimeout = properties.zookeeper().requestTimeout();
    }

    @GetMapping(CONFIG_PREFIX)
    @Operation(operationId = "listConfigNodes", summary = "List the config nodes",
            description = "Every config node of the tree, sorted by path, without values.",
            responses = @ApiResponse(responseCode = "200", description = "The nodes",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            array = @ArraySchema(schema = @Schema(implementation = ConfigNodeSummary.class)))))
    public Mono<List<ConfigNodeSummary>> list() {
        return blocking(() -> editor.list().stream().map(ConfigNodeSummary::of).toList());
    }

    @GetMapping(CONFIG_PREFIX + "/{*path}")
    @Operation(operationId = "getConfigNode", summary = "Read a config node",
            description = "The node's document and version. Read it before changing it: writes need the version.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The node",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ConfigNodeView.class))),
                    @ApiResponse(responseCode = "400", description = "Invalid path (`INVALID_PATH`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "404", description = "No node at this path (`NOT_FOUND`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ConfigNodeView> read(@Parameter(description = PATH_DESCRIPTION, example = "apps/demo")
            @PathVariable("path") String path) {
        ConfigPath parsed = parsePath(path);
        return blocking(() -> ConfigNodeView.of(editor.read(parsed)));
    }

    @PostMapping(path = CONFIG_PREFIX + "/{*path}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createConfigNode", summary = "Create a config node",
            description = "Creates the node at version 0, with the folders above it. Services apply an `online` node "
                    + "within seconds: a new app can push and mint device tokens right away." + VALUE_RULES,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = CreateNodeRequest.class),
                            examples = {
                                    @ExampleObject(name = "app", summary = "An app (path apps/shop)", value = """
                                            {"value": {"id": "shop", "name": "Shop", "key": "shop-key", \
                                            "secrets": ["shop-secret-0123456789"], "cell": "default", \
                                            "limits": {"messagesPerSecond": 0, "messagesPerDay": 0}, "callbackUrl": null}}"""),
                                    @ExampleObject(name = "offlineApp", summary = "An app prepared offline",
                                            value = """
                                                    {"value": {"id": "beta", "key": "beta-key", "secrets": \
                                                    ["beta-secret-0123456789"]}, "state": "offline"}"""),
                                    @ExampleObject(name = "freeForm", summary = "A free-form node (path features/chat)",
                                            value = "{\"value\": {\"enabled\": true, \"maxRooms\": 20}}")
                            })),
            responses = {
                    @ApiResponse(responseCode = "201", description = "Created",
                            headers = @Header(name = "Location", description = "The node's URI",
                                    schema = @Schema(type = "string", example = "/admin/v1/config/apps/shop")),
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ConfigNodeView.class))),
                    @ApiResponse(responseCode = "400", description = """
                            Invalid path (`INVALID_PATH`), request (`INVALID_REQUEST`), value (`INVALID_VALUE`) or an \
                            app key another app has (`DUPLICATE_KEY`); `errors` names every faulty member.""",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF),
                                    examples = @ExampleObject(name = "shortSecret", value = """
                                            {"type": "urn:herald:problem:invalid-value", "title": "Invalid config \
                                            value", "status": 400, "detail": "value.secrets[0] must be 16 to 512 \
                                            characters long, not 5.", "instance": "/admin/v1/config/apps/shop", \
                                            "code": "INVALID_VALUE", "errors": [{"field": "value.secrets[0]", "code": \
                                            "INVALID_VALUE", "message": "value.secrets[0] must be 16 to 512 \
                                            characters long, not 5."}]}"""))),
                    @ApiResponse(responseCode = "409", description = "A node or folder is already there (`NODE_EXISTS`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ResponseEntity<ConfigNodeView>> create(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/shop") @PathVariable("path") String path,
            @Parameter(name = OPERATOR_HEADER, in = ParameterIn.HEADER, description = "Who makes the change, "
                    + "recorded as `updatedBy` (default `admin`)", example = "alice")
            @RequestHeader(name = OPERATOR_HEADER, required = false) String operatorHeader,
            @RequestBody CreateNodeRequest request) {
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

    @PutMapping(path = CONFIG_PREFIX + "/{*path}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "updateConfigNode", summary = "Change a config node",
            description = "Replaces the node's value if it is still at `expectedVersion`; its version goes up by one "
                    + "and the previous document goes to the history. A stale `expectedVersion` changes nothing and "
                    + "answers 409 with the current version in `currentVersion`." + VALUE_RULES,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = UpdateNodeRequest.class),
                            examples = {
                                    @ExampleObject(name = "rotationStep1", summary = "Secret rotation, step 1: add the "
                                            + "new secret second", value = """
                                            {"expectedVersion": 0, "value": {"id": "demo", "name": "Demo", "key": \
                                            "demo-key", "secrets": ["demo-secret-0123456789", \
                                            "demo-secret-NEW-9876543210"], "cell": "default", "limits": \
                                            {"messagesPerSecond": 0, "messagesPerDay": 0}, "callbackUrl": null}}"""),
                                    @ExampleObject(name = "blacklist", summary = "Block an address and a range "
                                            + "(path global/blacklist-ips)", value = """
                                            {"expectedVersion": 0, "value": {"entries": ["203.0.113.7", \
                                            "198.51.100.0/24"]}}""")
                            })),
            responses = {
                    @ApiResponse(responseCode = "200", description = "Changed; `version` is `expectedVersion` + 1",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ConfigNodeView.class))),
                    @ApiResponse(responseCode = "400", description = "Invalid path, request, value or duplicate app key",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "404", description = "No node at this path (`NOT_FOUND`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "409", description = "The node is at another version "
                            + "(`VERSION_CONFLICT`, `currentVersion` says which)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF),
                                    examples = @ExampleObject(name = "stale", value = """
                                            {"type": "urn:herald:problem:version-conflict", "title": "Version \
                                            conflict", "status": 409, "detail": "apps/demo is at version 4, not 3: \
                                            read it again, reapply your change and retry with expectedVersion 4.", \
                                            "instance": "/admin/v1/config/apps/demo", "code": "VERSION_CONFLICT", \
                                            "currentVersion": 4}""")))
            })
    public Mono<ConfigNodeView> update(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/demo") @PathVariable("path") String path,
            @Parameter(name = OPERATOR_HEADER, in = ParameterIn.HEADER, description = "Who makes the change, "
                    + "recorded as `updatedBy` (default `admin`)", example = "alice")
            @RequestHeader(name = OPERATOR_HEADER, required = false) String operatorHeader,
            @RequestBody UpdateNodeRequest request) {
        ConfigPath parsed = parsePath(path);
        List<FieldProblem> problems = new ArrayList<>();
        String operator = operator(operatorHeader, problems);
        int expectedVersion = expectedVersion(request.expectedVersion(), "expectedVersion", problems);
        NodeState state = request.state() == null ? null : state(request.state(), problems);
        rejectIfAny(problems);
        return blocking(() -> ConfigNodeView.of(editor.replace(parsed, expectedVersion, request.value(), state,
                operator)));
    }

    @DeleteMapping(CONFIG_PREFIX + "/{*path}")
    @Operation(operationId = "deleteConfigNode", summary = "Delete a config node",
            description = "Deletes the node if it is still at `expectedVersion`. Its last document stays in the "
                    + "history; creating the path again starts a new node at version 0 with an empty history.",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Deleted"),
                    @ApiResponse(responseCode = "400", description = "Invalid path or missing `expectedVersion`",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "404", description = "No node at this path (`NOT_FOUND`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "409", description = "The node is at another version "
                            + "(`VERSION_CONFLICT`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ResponseEntity<Void>> delete(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/shop") @PathVariable("path") String path,
            @Parameter(description = "The version you read", required = true, example = "2")
            @RequestParam(name = "expectedVersion", required = false) Integer expectedVersion) {
        ConfigPath parsed = parsePath(path);
        List<FieldProblem> problems = new ArrayList<>();
        int version = expectedVersion(expectedVersion, "expectedVersion", problems);
        rejectIfAny(problems);
        return blocking(() -> {
            editor.delete(parsed, version);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping(HISTORY_PREFIX + "/{*path}")
    @Operation(operationId = "getConfigNodeHistory", summary = "Read a config node's history",
            description = "The node's previous documents, newest first: the last "
                    + "`herald.config-server.history-size` (20) of them. Also answers for a deleted node.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The previous documents (empty for a node never "
                            + "changed)",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    array = @ArraySchema(schema = @Schema(implementation = HistoryEntryView.class)))),
                    @ApiResponse(responseCode = "404", description = "Neither a node nor a history at this path",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF)))
            })
    public Mono<List<HistoryEntryView>> history(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/demo") @PathVariable("path") String path) {
        ConfigPath parsed = parsePath(path);
        return blocking(() -> editor.history(parsed).stream().map(HistoryEntryView::of).toList());
    }

    @PutMapping(path = STATE_PREFIX + "/{*path}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "setConfigNodeState", summary = "Take a config node online or offline",
            description = "Sets the node's state, value unchanged: a versioned change like any other (version + 1, "
                    + "previous document to the history). Services drop an `offline` node within seconds: an offline "
                    + "app cannot push, and its devices cannot connect.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = StateChangeRequest.class),
                            examples = @ExampleObject(name = "offline", value = """
                                    {"state": "offline", "expectedVersion": 2}"""))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "Changed",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ConfigNodeView.class))),
                    @ApiResponse(responseCode = "400", description = "Invalid path, state or version",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "404", description = "No node at this path (`NOT_FOUND`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "409", description = "The node is at another version "
                            + "(`VERSION_CONFLICT`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = OpenApiConfig.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ConfigNodeView> changeState(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/demo") @PathVariable("path") String path,
            @Parameter(name = OPERATOR_HEADER, in = ParameterIn.HEADER, description = "Who makes the change, "
                    + "recorded as `updatedBy` (default `admin`)", example = "alice")
            @RequestHeader(name = OPERATOR_HEADER, required = false) String operatorHeader,
            @RequestBody StateChangeRequest request) {
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
            throw RejectedRequestException.of(List.of(new FieldProblem("path", ProblemCode.INVALID_PATH,
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
            throw RejectedRequestException.of(problems);
        }
    }
}

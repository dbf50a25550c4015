package dev.herald.configserver.admin;

import dev.herald.configserver.OpenApiConfig;
import dev.herald.web.openapi.ApiDocumentation;
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
import java.util.List;
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
import reactor.core.publisher.Mono;

/**
 * The HTTP contract of the admin API on the config tree: routes, parameters and their OpenAPI description.
 * {@link ConfigController} implements it. Paths are captured whole ({@code {*path}}, slashes included), so the
 * history and the state of a node have their own prefixes ({@code /admin/v1/history/...},
 * {@code /admin/v1/state/...}) instead of a suffix that a node could be named after.
 */
@Tag(name = "Config", description = "Read and change the config tree in ZooKeeper, with versions and history.")
@SecurityRequirement(name = OpenApiConfig.SECURITY_SCHEME)
public interface ConfigApi {

    String CONFIG_PREFIX = "/admin/v1/config";
    String HISTORY_PREFIX = "/admin/v1/history";
    String STATE_PREFIX = "/admin/v1/state";
    String OPERATOR_HEADER = "X-Herald-Operator";

    String PATH_DESCRIPTION = """
            Path of the config node below `<root>/config`: 1 to 4 segments of `[A-Za-z0-9._-]` separated by `/` \
            (unencoded), for example `apps/demo` or `global/blacklist-ips`.""";
    String VALUE_RULES = """

            The value is checked by path:
            - `apps/<appId>`: an app, `{"id", "name", "key", "secrets", "cell", "limits", "callbackUrl"}`. `id` \
            equals `<appId>`; `key` is non-blank and unique among the apps (`DUPLICATE_KEY` otherwise); `secrets` \
            holds 1 or 2 secrets of at least 16 characters (the first signs device tokens, both are accepted); \
            `cell` (default `default`) matches `[A-Za-z0-9._-]{1,64}`; `limits.messagesPerSecond` and \
            `limits.messagesPerDay` ≥ 0 (default 0 = no limit); `callbackUrl` is null or an absolute http(s) URL. Left-out members are stored with their \
            defaults.
            - `global/blacklist-ips`: `{"entries": [...]}`, each an IPv4 or IPv6 address or CIDR range.
            - anything else: any JSON object.""";

    @GetMapping(CONFIG_PREFIX)
    @Operation(operationId = "listConfigNodes", summary = "List the config nodes",
            description = "Every config node of the tree, sorted by path, without values.",
            responses = @ApiResponse(responseCode = "200", description = "The nodes",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            array = @ArraySchema(schema = @Schema(implementation = ConfigNodeSummary.class)))))
    Mono<List<ConfigNodeSummary>> list();

    @GetMapping(CONFIG_PREFIX + "/{*path}")
    @Operation(operationId = "getConfigNode", summary = "Read a config node",
            description = "The node's document and version. Read it before changing it: writes need the version.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The node",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ConfigNodeView.class))),
                    @ApiResponse(responseCode = "400", description = "Invalid path (`INVALID_PATH`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "404", description = "No node at this path (`NOT_FOUND`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    Mono<ConfigNodeView> read(@Parameter(description = PATH_DESCRIPTION, example = "apps/demo")
            @PathVariable("path") String path);

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
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF),
                                    examples = @ExampleObject(name = "shortSecret", value = """
                                            {"type": "urn:herald:problem:invalid-value", "title": "Invalid config \
                                            value", "status": 400, "detail": "value.secrets[0] must be 16 to 512 \
                                            characters long, not 5.", "instance": "/admin/v1/config/apps/shop", \
                                            "code": "INVALID_VALUE", "errors": [{"field": "value.secrets[0]", "code": \
                                            "INVALID_VALUE", "message": "value.secrets[0] must be 16 to 512 \
                                            characters long, not 5."}]}"""))),
                    @ApiResponse(responseCode = "409", description = "A node or folder is already there (`NODE_EXISTS`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    Mono<ResponseEntity<ConfigNodeView>> create(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/shop") @PathVariable("path") String path,
            @Parameter(name = OPERATOR_HEADER, in = ParameterIn.HEADER, description = "Who makes the change, "
                    + "recorded as `updatedBy` (default `admin`)", example = "alice")
            @RequestHeader(name = OPERATOR_HEADER, required = false) String operatorHeader,
            @RequestBody CreateNodeRequest request);

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
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "404", description = "No node at this path (`NOT_FOUND`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "409", description = "The node is at another version "
                            + "(`VERSION_CONFLICT`, `currentVersion` says which)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF),
                                    examples = @ExampleObject(name = "stale", value = """
                                            {"type": "urn:herald:problem:version-conflict", "title": "Version \
                                            conflict", "status": 409, "detail": "apps/demo is at version 4, not 3: \
                                            read it again, reapply your change and retry with expectedVersion 4.", \
                                            "instance": "/admin/v1/config/apps/demo", "code": "VERSION_CONFLICT", \
                                            "currentVersion": 4}""")))
            })
    Mono<ConfigNodeView> update(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/demo") @PathVariable("path") String path,
            @Parameter(name = OPERATOR_HEADER, in = ParameterIn.HEADER, description = "Who makes the change, "
                    + "recorded as `updatedBy` (default `admin`)", example = "alice")
            @RequestHeader(name = OPERATOR_HEADER, required = false) String operatorHeader,
            @RequestBody UpdateNodeRequest request);

    @DeleteMapping(CONFIG_PREFIX + "/{*path}")
    @Operation(operationId = "deleteConfigNode", summary = "Delete a config node",
            description = "Deletes the node if it is still at `expectedVersion`. Its last document stays in the "
                    + "history; creating the path again starts a new node at version 0 with an empty history.",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Deleted"),
                    @ApiResponse(responseCode = "400", description = "Invalid path or missing `expectedVersion`",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "404", description = "No node at this path (`NOT_FOUND`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "409", description = "The node is at another version "
                            + "(`VERSION_CONFLICT`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    Mono<ResponseEntity<Void>> delete(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/shop") @PathVariable("path") String path,
            @Parameter(description = "The version you read", required = true, example = "2")
            @RequestParam(name = "expectedVersion", required = false) Integer expectedVersion);

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
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    Mono<List<HistoryEntryView>> history(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/demo") @PathVariable("path") String path);

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
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "404", description = "No node at this path (`NOT_FOUND`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "409", description = "The node is at another version "
                            + "(`VERSION_CONFLICT`)",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    Mono<ConfigNodeView> changeState(
            @Parameter(description = PATH_DESCRIPTION, example = "apps/demo") @PathVariable("path") String path,
            @Parameter(name = OPERATOR_HEADER, in = ParameterIn.HEADER, description = "Who makes the change, "
                    + "recorded as `updatedBy` (default `admin`)", example = "alice")
            @RequestHeader(name = OPERATOR_HEADER, required = false) String operatorHeader,
            @RequestBody StateChangeRequest request);
}

package dev.herald.api.uplink;

import dev.herald.api.OpenApiConfig;
import dev.herald.api.auth.AppAuthenticationFilter;
import dev.herald.api.problem.ProblemCode;
import dev.herald.web.openapi.ApiDocumentation;
import dev.herald.web.problem.RejectedRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Inspecting, replaying and deleting uplinks whose callback delivery was given up. */
@RestController
@Tag(name = "Uplink dead letters", description = """
        Uplinks (device → your server) that could not be delivered to your callback URL after all retries, or \
        at once when the app has no callback URL. Kept per app, newest first, up to the dispatcher's \
        `herald.dispatcher.uplink.dead-letter-cap` (the oldest go first).""")
@SecurityRequirement(name = OpenApiConfig.SIGNATURE_SCHEME)
@SecurityRequirement(name = OpenApiConfig.SECURITY_SCHEME)
public final class DeadLetterController {

    static final String ID_DESCRIPTION = """
            The uplink's `messageId`: the id the device got in its UPLINK_ACK and your callback received as `id`. \
            The dead letter's own `id` from the list (a stream entry id such as `1764064800123-0`) is accepted too.""";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final DeadLetters deadLetters;

    public DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping("/v1/apps/{appId}/uplink/dead-letters")
    @Operation(operationId = "listUplinkDeadLetters", summary = "List dead-lettered uplinks",
            description = "Newest first, each with the uplink, the attempts made and the last error.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The dead letters (possibly none)",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    array = @ArraySchema(schema = @Schema(implementation = DeadLetterView.class)))),
                    @ApiResponse(responseCode = "400", description = "`limit` outside 1..1000",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public Mono<List<DeadLetterView>> list(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @Parameter(description = "Most dead letters to return, 1..1000", example = "50")
            @RequestParam(name = "limit", required = false, defaultValue = "" + DEFAULT_LIMIT) int limit,
            ServerWebExchange exchange) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RejectedRequestException.of(ProblemCode.INVALID_REQUEST,
                    "limit must be between 1 and " + MAX_LIMIT + ", not " + limit + ".");
        }
        return deadLetters.list(AppAuthenticationFilter.authenticatedApp(exchange), limit).collectList();
    }

    @GetMapping("/v1/apps/{appId}/uplink/dead-letters/{id}")
    @Operation(operationId = "getUplinkDeadLetter", summary = "Get one dead-lettered uplink",
            description = "Named by the uplink's `messageId` (or the dead letter's `id` from the list).",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The dead letter",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = DeadLetterView.class))),
                    @ApiResponse(responseCode = "404", description = "No such dead letter for this app",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public Mono<DeadLetterView> get(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @Parameter(description = ID_DESCRIPTION, example = "01JDQ7N5W3X8M2K4R6T9V0YZAB") @PathVariable String id,
            ServerWebExchange exchange) {
        return deadLetters.find(AppAuthenticationFilter.authenticatedApp(exchange), id)
                .switchIfEmpty(Mono.error(() -> notFound(appId)));
    }

    @PostMapping("/v1/apps/{appId}/uplink/dead-letters/{id}/replay")
    @Operation(operationId = "replayUplinkDeadLetter", summary = "Replay a dead-lettered uplink",
            description = """
                    Named by the uplink's `messageId` (or the dead letter's `id` from the list). \
                    Queues the uplink again for delivery to the app's callback URL, with a fresh series of \
                    attempts, and removes the dead letter. The uplink keeps its message id, so a receiver that \
                    saw it before can recognise it. Fix the callback (or set one) first: a replay that fails \
                    again is dead-lettered again.""",
            responses = {
                    @ApiResponse(responseCode = "202", description = "Queued for delivery",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = DeadLetterReplayed.class))),
                    @ApiResponse(responseCode = "404", description = "No such dead letter for this app",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ResponseEntity<DeadLetterReplayed>> replay(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @Parameter(description = ID_DESCRIPTION, example = "01JDQ7N5W3X8M2K4R6T9V0YZAB") @PathVariable String id,
            ServerWebExchange exchange) {
        return deadLetters.replay(AppAuthenticationFilter.authenticatedApp(exchange), id)
                .map(message -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new DeadLetterReplayed(message.id())))
                .switchIfEmpty(Mono.error(() -> notFound(appId)));
    }

    @DeleteMapping("/v1/apps/{appId}/uplink/dead-letters/{id}")
    @Operation(operationId = "deleteUplinkDeadLetter", summary = "Delete a dead-lettered uplink",
            description = "Named by the uplink's `messageId` (or the dead letter's `id` from the list).",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Deleted"),
                    @ApiResponse(responseCode = "404", description = "No such dead letter for this app",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ResponseEntity<Void>> delete(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @Parameter(description = ID_DESCRIPTION, example = "01JDQ7N5W3X8M2K4R6T9V0YZAB") @PathVariable String id,
            ServerWebExchange exchange) {
        return deadLetters.delete(AppAuthenticationFilter.authenticatedApp(exchange), id)
                .flatMap(deleted -> deleted
                        ? Mono.just(ResponseEntity.noContent().<Void>build())
                        : Mono.error(notFound(appId)));
    }

    private static RejectedRequestException notFound(String appId) {
        return RejectedRequestException.of(ProblemCode.NOT_FOUND, "App '" + appId + "' has no dead-lettered uplink "
                + "with this id.");
    }
}

package dev.herald.api.message;

import dev.herald.api.OpenApiConfig;
import dev.herald.web.openapi.ApiDocumentation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The HTTP contract of sending messages and reading their delivery status: routes, parameters and their
 * OpenAPI description. {@link MessageController} implements it.
 */
@Tag(name = "Messages", description = "Push messages to devices and follow their delivery.")
@SecurityRequirement(name = OpenApiConfig.SIGNATURE_SCHEME)
@SecurityRequirement(name = OpenApiConfig.SECURITY_SCHEME)
public interface MessageApi {

    /** Answer header set when an Idempotency-Key replays an earlier send. */
    String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    @PostMapping(path = "/v1/apps/{appId}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "sendMessage", summary = "Send a message",
            description = """
                    Accepts a message for one device (`deviceId`), a list of devices (`deviceIds`) or every device \
                    of the app (`broadcast: true`) and queues it for delivery. The answer comes as soon as the \
                    message is safely queued, before any device receives it; follow delivery at the status \
                    resource named in `Location`.

                    With `offline: true` (the default) devices that are not connected get the message when they \
                    reconnect, until it expires after `ttlSeconds`. With `offline: false` only connected devices get \
                    it; the others are counted as `dropped` in the status.

                    Send an `Idempotency-Key` to make retries safe: for 24 hours a repeated key with the same body \
                    answers with the first message's id and `Idempotent-Replayed: true`, and sends nothing new. The \
                    same key with a different body (other targets, payload, `offline` or `ttlSeconds`; JSON \
                    formatting and member order do not count) is refused with 422 `IDEMPOTENCY_KEY_REUSED`.

                    Each valid send counts against the app's limits (`limits.messagesPerSecond`, \
                    `limits.messagesPerDay`); beyond them the answer is 429 with `Retry-After`.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = SendMessageRequest.class),
                            examples = {
                                    @ExampleObject(name = "unicast", summary = "One device, stored while offline",
                                            value = "{\"deviceId\": \"device-42\", \"text\": \"Your order has shipped\", "
                                                    + "\"ttlSeconds\": 3600}"),
                                    @ExampleObject(name = "multicast", summary = "Several devices, binary payload",
                                            value = "{\"deviceIds\": [\"device-42\", \"device-43\"], "
                                                    + "\"base64\": \"SGVsbG8sIGRldmljZSE=\"}"),
                                    @ExampleObject(name = "broadcast", summary = "Every device, online ones only",
                                            value = "{\"broadcast\": true, \"text\": \"Flash sale: 10 minutes left\", "
                                                    + "\"offline\": false}")
                            })),
            responses = {
                    @ApiResponse(responseCode = "202", description = "Accepted and queued for delivery (or replayed "
                            + "from an earlier send with the same Idempotency-Key).",
                            headers = {
                                    @Header(name = "Location", description = "Path of the message's status resource",
                                            schema = @Schema(type = "string",
                                                    example = "/v1/apps/demo/messages/01JDQ7N5W3X8M2K4R6T9V0YZAB")),
                                    @Header(name = IDEMPOTENT_REPLAYED, description = "`true` when the answer "
                                            + "repeats an earlier send with the same Idempotency-Key",
                                            schema = @Schema(type = "string", allowableValues = "true"))
                            },
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = MessageAccepted.class))),
                    @ApiResponse(responseCode = "400", description = """
                            Invalid request: no target or several, no payload or both, empty payload \
                            (`EMPTY_PAYLOAD`), invalid base64 or device id, `ttlSeconds` out of range, bad \
                            Idempotency-Key, or a body that is not JSON. The `errors` member lists every fault.""",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF),
                                    examples = @ExampleObject(name = "emptyPayload", value = """
                                            {"type": "urn:herald:problem:empty-payload", "title": "Empty payload", \
                                            "status": 400, "detail": "The payload is empty: set 'text' to a non-empty \
                                            string or 'base64' to non-empty base64 data.", \
                                            "instance": "/v1/apps/demo/messages", "code": "EMPTY_PAYLOAD", \
                                            "errors": [{"field": "text", "code": "EMPTY_PAYLOAD", "message": "The \
                                            payload is empty: set 'text' to a non-empty string or 'base64' to \
                                            non-empty base64 data."}]}"""))),
                    @ApiResponse(responseCode = "413", description = """
                            The decoded payload exceeds `herald.api.max-payload-bytes` (`PAYLOAD_TOO_LARGE`; the \
                            detail names the limit), or the whole body exceeds the server's request size limit \
                            (`REQUEST_TOO_LARGE`).""",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF),
                                    examples = @ExampleObject(name = "payloadTooLarge", value = """
                                            {"type": "urn:herald:problem:payload-too-large", "title": "Payload too \
                                            large", "status": 413, "detail": "The payload is 5000 bytes; the limit is \
                                            4096 bytes.", "instance": "/v1/apps/demo/messages", "code": \
                                            "PAYLOAD_TOO_LARGE", "errors": [{"field": "text", "code": \
                                            "PAYLOAD_TOO_LARGE", "message": "The payload is 5000 bytes; the limit is \
                                            4096 bytes."}]}"""))),
                    @ApiResponse(responseCode = "415", description = "The body is not `application/json`.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "422", description = """
                            The Idempotency-Key was used in the last 24 hours with a different body \
                            (`IDEMPOTENCY_KEY_REUSED`); nothing was sent.""",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF),
                                    examples = @ExampleObject(name = "idempotencyKeyReused", value = """
                                            {"type": "urn:herald:problem:idempotency-key-reused", "title": \
                                            "Idempotency key reused", "status": 422, "detail": "The Idempotency-Key \
                                            'order-1234-shipped' was already used in the last 24 hours with a \
                                            different request body; nothing was sent. Repeat the first request's \
                                            body to get its answer, or use a new key for a new request.", \
                                            "instance": "/v1/apps/demo/messages", "code": "IDEMPOTENCY_KEY_REUSED"}"""))),
                    @ApiResponse(responseCode = "429", description = """
                            The app's send rate (`RATE_LIMITED`) or daily quota (`QUOTA_EXCEEDED`, per UTC day) is \
                            used up; nothing was sent. Retry after `Retry-After` seconds.""",
                            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                                    schema = @Schema(type = "string", example = "1")),
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF),
                                    examples = @ExampleObject(name = "rateLimited", value = """
                                            {"type": "urn:herald:problem:rate-limited", "title": "Rate limited", \
                                            "status": 429, "detail": "App 'demo' may send 100 messages per second \
                                            (limits.messagesPerSecond); retry after 1 s.", "instance": \
                                            "/v1/apps/demo/messages", "code": "RATE_LIMITED", "limit": 100}"""))),
                    @ApiResponse(responseCode = "503", description = """
                            Nothing was sent. `BACKLOG_FULL`: delivery in the app's cell is too far behind \
                            (`herald.api.backlog.max-entries` / `max-age`); `UNAVAILABLE`: the store is unreachable. \
                            Retry after `Retry-After` seconds (with the same Idempotency-Key).""",
                            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                                    schema = @Schema(type = "string", example = "1")),
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    Mono<ResponseEntity<MessageAccepted>> send(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @Parameter(name = SendMessageValidator.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, description = """
                    Makes the send safe to retry: 1..128 characters of `[A-Za-z0-9._:-]`, unique per message, \
                    remembered for 24 hours with a hash of the request. A retry with the same body gets the first \
                    answer; another body with the same key gets 422 `IDEMPOTENCY_KEY_REUSED`.""",
                    example = "order-1234-shipped")
            @RequestHeader(name = SendMessageValidator.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestBody SendMessageRequest request,
            ServerWebExchange exchange);

    @PostMapping(path = "/v1/apps/{appId}/messages/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "sendMessageBatch", summary = "Send several messages in one request",
            description = """
                    Accepts up to `herald.api.max-messages-per-batch` messages (500 by default), each exactly as the \
                    body of a single send, and queues them in order. Use it when an app server pushes many different \
                    messages at once (one per user): one HTTP exchange and one pipelined queue write for the lot.

                    The batch is accepted whole or refused whole: a 400/413 problem lists every fault of every \
                    message, named by index (`messages[3].deviceId`). An `Idempotency-Key` covers the whole batch: \
                    for 24 hours a repeated key with the same body answers with the first batch's ids and \
                    `Idempotent-Replayed: true`; with a different body it is refused with 422 \
                    `IDEMPOTENCY_KEY_REUSED`. \
                    Each message counts against the app's limits, and the batch passes them whole or gets 429.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = SendBatchRequest.class),
                            examples = @ExampleObject(name = "perUser", summary = "A different message per device",
                                    value = "{\"messages\": [{\"deviceId\": \"device-42\", \"text\": \"Your order has "
                                            + "shipped\"}, {\"deviceId\": \"device-43\", \"text\": \"Your table is "
                                            + "ready\", \"offline\": false}]}"))),
            responses = {
                    @ApiResponse(responseCode = "202", description = "Every message was accepted and queued (or the "
                            + "batch was replayed from an earlier one with the same Idempotency-Key).",
                            headers = @Header(name = IDEMPOTENT_REPLAYED, description = "`true` when the answer "
                                    + "repeats an earlier batch with the same Idempotency-Key",
                                    schema = @Schema(type = "string", allowableValues = "true")),
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = BatchAccepted.class))),
                    @ApiResponse(responseCode = "400", description = "The batch is empty or too long, or one or more "
                            + "messages are invalid; `errors` names each by index.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "413", description = "A payload exceeds `herald.api.max-payload-bytes` "
                            + "(when it is the batch's only fault), or the body exceeds the request size limit.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "415", description = "The body is not `application/json`.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used in the last 24 "
                            + "hours with a different batch (`IDEMPOTENCY_KEY_REUSED`); nothing was sent.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "429", description = """
                            The batch's messages do not fit in the app's send rate (`RATE_LIMITED`) or daily quota \
                            (`QUOTA_EXCEEDED`) now; nothing was sent. Retry after `Retry-After` seconds; without \
                            `Retry-After` the batch is larger than a second's or a day's worth and never fits: split it.""",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "503", description = """
                            Nothing was sent. `BACKLOG_FULL`: delivery in the app's cell is too far behind \
                            (`herald.api.backlog.max-entries` / `max-age`); `UNAVAILABLE`: the store is unreachable. \
                            Retry after `Retry-After` seconds (with the same Idempotency-Key).""",
                            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                                    schema = @Schema(type = "string", example = "1")),
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    Mono<ResponseEntity<BatchAccepted>> sendBatch(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @Parameter(name = SendMessageValidator.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, description = """
                    Makes the whole batch safe to retry: 1..128 characters of `[A-Za-z0-9._:-]`, remembered for \
                    24 hours with a hash of the batch. A retry with the same body gets the first answer; another \
                    body with the same key gets 422 `IDEMPOTENCY_KEY_REUSED`.""", example = "campaign-77-part-3")
            @RequestHeader(name = SendMessageValidator.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestBody SendBatchRequest request,
            ServerWebExchange exchange);

    @GetMapping("/v1/apps/{appId}/messages/{messageId}")
    @Operation(operationId = "getMessageStatus", summary = "Get a message's delivery status",
            description = """
                    Returns where a message stands: its state and how many targets received it, have it stored \
                    while offline, let it expire or were not connected for an online-only send. Available until 24 \
                    hours after the message expires. Messages of other apps are never visible: they answer 404 like \
                    unknown ids.""",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The message's status",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = MessageStatusView.class))),
                    @ApiResponse(responseCode = "404", description = "No such message for this app (unknown, "
                            + "malformed, expired more than 24 hours ago, or another app's).",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    Mono<MessageStatusView> status(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @Parameter(description = "Message id from the send's answer", example = "01JDQ7N5W3X8M2K4R6T9V0YZAB")
            @PathVariable String messageId);
}

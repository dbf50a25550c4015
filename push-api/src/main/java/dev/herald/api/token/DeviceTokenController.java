package dev.herald.api.token;

import dev.herald.api.OpenApiConfig;
import dev.herald.api.PushApiProperties;
import dev.herald.api.auth.AppAuthenticationFilter;
import dev.herald.api.problem.FieldProblem;
import dev.herald.api.problem.ProblemCode;
import dev.herald.core.app.App;
import dev.herald.core.app.DeviceToken;
import dev.herald.core.app.Ids;
import dev.herald.web.openapi.ApiDocumentation;
import dev.herald.web.problem.RejectedRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Minting device tokens for an app's devices, and revoking them. */
@RestController
@Tag(name = "Device tokens", description = "Credentials your devices present when they connect.")
@SecurityRequirement(name = OpenApiConfig.SIGNATURE_SCHEME)
@SecurityRequirement(name = OpenApiConfig.SECURITY_SCHEME)
public final class DeviceTokenController {

    private final Duration defaultTtl;
    private final Duration maxTtl;
    private final TokenRevocations revocations;

    public DeviceTokenController(PushApiProperties properties, TokenRevocations revocations) {
        this.defaultTtl = properties.defaultTokenTtl();
        this.maxTtl = properties.maxTokenTtl();
        this.revocations = revocations;
    }

    @PostMapping(path = "/v1/apps/{appId}/device-tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "mintDeviceToken", summary = "Mint a device token",
            description = """
                    Mints a token that lets one device of your app connect to Herald's access nodes. Call it from \
                    your app server (never ship the app secret to devices) and hand the token to the device, e.g. at \
                    login. Revoke one device's tokens with `POST .../devices/{deviceId}/revoke-tokens`; rotate the \
                    app secret to revoke all of them. You can also mint tokens without this call, with the same recipe \
                    (`v2.<issuedAt ms>.<expiry s>.<sig>`, the signature being base64url HMAC-SHA256 of \
                    `"v2\\n" + appId + "\\n" + deviceId + "\\n" + issuedAt + "\\n" + expiry` keyed with the app \
                    secret; during a rotation this call signs with the app's first secret, and tokens signed with \
                    either secret are accepted).""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = MintTokenRequest.class),
                            examples = @ExampleObject(name = "thirtyDays",
                                    value = "{\"deviceId\": \"device-42\", \"ttlSeconds\": 2592000}"))),
            responses = {
                    @ApiResponse(responseCode = "201", description = "The token",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = DeviceTokenView.class))),
                    @ApiResponse(responseCode = "400", description = "Missing or invalid `deviceId`, `ttlSeconds` out "
                            + "of range, or a body that is not JSON.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "415", description = "The body is not `application/json`.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public DeviceTokenView mint(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @RequestBody MintTokenRequest request,
            ServerWebExchange exchange) {
        App app = AppAuthenticationFilter.authenticatedApp(exchange);
        List<FieldProblem> errors = new ArrayList<>();
        if (!Ids.isDeviceId(request.deviceId())) {
            errors.add(new FieldProblem("deviceId", ProblemCode.INVALID_REQUEST, request.deviceId() == null
                    ? "'deviceId' is missing: name the device the token is for."
                    : "'deviceId' is not a valid device id: use 1..128 characters of [A-Za-z0-9._:@-]."));
        }
        Duration ttl = defaultTtl;
        if (request.ttlSeconds() != null) {
            if (request.ttlSeconds() < 1 || request.ttlSeconds() > maxTtl.toSeconds()) {
                errors.add(new FieldProblem("ttlSeconds", ProblemCode.INVALID_REQUEST, "'ttlSeconds' must be between "
                        + "1 and " + maxTtl.toSeconds() + " seconds; it is " + request.ttlSeconds() + "."));
            } else {
                ttl = Duration.ofSeconds(request.ttlSeconds());
            }
        }
        if (!errors.isEmpty()) {
            throw FieldProblem.rejection(errors);
        }
        // Tokens carry whole seconds; rounding up keeps the promised lifetime.
        Instant now = Instant.now();
        Instant expiresAt = Instant.ofEpochSecond(now.plus(ttl).plusMillis(999).getEpochSecond());
        String token = DeviceToken.mint(app.signingSecret(), app.id(), request.deviceId(), now, expiresAt);
        return new DeviceTokenView(app.id(), request.deviceId(), token, expiresAt);
    }

    @PostMapping(path = "/v1/apps/{appId}/devices/{deviceId}/revoke-tokens")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeDeviceTokens", summary = "Revoke a device's tokens",
            description = """
                    Revokes every token of this device in your app issued until now (the device lost, the user \
                    signed out everywhere, a token leaked). From then on a CONNECT with such a token is refused \
                    (native and WebSocket: CONNACK `TOKEN_EXPIRED`; MQTT: CONNACK 5), and the device, if connected \
                    with one, is disconnected within a second or two (DISCONNECT `TOKEN_EXPIRED`; MQTT: closed). \
                    Tokens minted after this call returns are accepted: mint the device a new one when it may \
                    connect again. Tokens of the older `v1` form carry no issue time, so all of them are refused \
                    once the device has a revocation. The revocation is kept for `herald.api.max-token-ttl` \
                    (365 days by default), the longest lifetime this API mints. No body; calling it again moves the \
                    revocation to the new time.""",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Revoked"),
                    @ApiResponse(responseCode = "400", description = "`deviceId` is not a valid device id.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "503", description = "Redis is unreachable; nothing may have been "
                            + "revoked: call again.",
                            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                    schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public Mono<Void> revoke(
            @Parameter(description = "Id of your app", example = "demo") @PathVariable String appId,
            @Parameter(description = "The device whose tokens to revoke: 1..128 characters of `[A-Za-z0-9._:@-]`.",
                    example = "device-42") @PathVariable String deviceId,
            ServerWebExchange exchange) {
        App app = AppAuthenticationFilter.authenticatedApp(exchange);
        if (!Ids.isDeviceId(deviceId)) {
            throw RejectedRequestException.of(ProblemCode.INVALID_REQUEST,
                    "The device id in the path is not a valid device id: use 1..128 characters of [A-Za-z0-9._:@-].");
        }
        // Tokens minted until now, by any push-api instance whose clock agrees (NTP), are issued at or before it.
        return revocations.revoke(app.id(), deviceId, System.currentTimeMillis(), maxTtl);
    }
}

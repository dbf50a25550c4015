package dev.herald.bench.scenario;

import dev.herald.bench.report.ReportWriter;
import dev.herald.core.app.ApiSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends messages through push-api ({@code POST /v1/apps/{app}/messages} and {@code .../messages/batch})
 * with the JDK's HTTP client,
 * asynchronously: callers bound the requests in flight. Each request is signed ({@link ApiSignature}:
 * fresh timestamp and nonce, HMAC over the exact body sent), which every push-api accepts, or uses
 * HTTP Basic with the app's key and secret where the operator allows it.
 */
public final class PushApiClient {

    /** How requests authenticate. */
    public enum Auth {
        /** {@code HERALD-HMAC-SHA256}: the secret never travels; always accepted. */
        SIGNED,
        /** HTTP Basic key:secret: only where {@code herald.api.auth.basic-enabled}. */
        BASIC
    }

    private final HttpClient http;
    private final String base;
    private final String appId;
    private final URI messages;
    private final URI batch;
    private final String key;
    private final String secret;
    private final Auth auth;
    private final String basic;

    public PushApiClient(String baseUrl, String appId, String key, String secret, Auth auth) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = base;
        this.appId = appId;
        this.messages = URI.create(base + "/v1/apps/" + appId + "/messages");
        this.batch = URI.create(base + "/v1/apps/" + appId + "/messages/batch");
        this.key = key;
        this.secret = secret;
        this.auth = auth;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The body of {@code POST .../rooms/{room}/messages}. */
    private record RoomMessage(String base64) {
    }

    /** The body of {@code POST .../messages/batch}. */
    private record Batch(List<PushMessage> messages) {
    }

    /** Completes with the HTTP status (202 when accepted), or exceptionally when the request failed. */
    public CompletableFuture<Integer> send(PushMessage message) {
        return post(messages, message);
    }

    /** Posts a message to a chat room ({@code POST /v1/apps/{app}/rooms/{room}/messages}). */
    public CompletableFuture<Integer> sendToRoom(String room, byte[] payload) {
        return post(URI.create(base + "/v1/apps/" + appId + "/rooms/" + room + "/messages"),
                new RoomMessage(Base64.getEncoder().encodeToString(payload)));
    }

    /** Sends the messages in one {@code POST .../messages/batch}. */
    public CompletableFuture<Integer> sendBatch(List<PushMessage> messages) {
        return post(batch, new Batch(messages));
    }

    private CompletableFuture<Integer> post(URI uri, Object json) {
        byte[] body = ReportWriter.JSON.writeValueAsBytes(json);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization(uri, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    /** The Authorization header for a POST of {@code body} to {@code uri}, made now. */
    private String authorization(URI uri, byte[] body) {
        return auth == Auth.BASIC ? basic
                : ApiSignature.authorization(key, secret, "POST", uri.getRawPath(), uri.getRawQuery(), body);
    }
}

package dev.herald.bench.scenario;

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
 * Sends messages through push-api ({@code POST /v1/apps/{app}/messages}, HTTP Basic with the app's
 * key and secret) with the JDK's HTTP client, asynchronously: callers bound the requests in flight.
 */
public final class PushApiClient {

    private final HttpClient http;
    private final String base;
    private final String appId;
    private final URI messages;
    private final URI batch;
    private final String authorization;

    public PushApiClient(String baseUrl, String appId, String key, String secret) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = base;
        this.appId = appId;
        this.messages = URI.create(base + "/v1/apps/" + appId + "/messages");
        this.batch = URI.create(base + "/v1/apps/" + appId + "/messages/batch");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Completes with the HTTP status (202 when accepted), or exceptionally when the request failed. */
    public CompletableFuture<Integer> send(String json) {
        return post(messages, json);
    }

    /** Posts a message to a chat room ({@code POST /v1/apps/{app}/rooms/{room}/messages}). */
    public CompletableFuture<Integer> sendToRoom(String room, byte[] payload) {
        return post(URI.create(base + "/v1/apps/" + appId + "/rooms/" + room + "/messages"),
                "{\"base64\":\"" + Base64.getEncoder().encodeToString(payload) + "\"}");
    }

    /** Sends the messages (each as {@link #unicastJson}) in one {@code POST .../messages/batch}. */
    public CompletableFuture<Integer> sendBatch(List<String> messageJsons) {
        return post(batch, "{\"messages\":[" + String.join(",", messageJsons) + "]}");
    }

    private CompletableFuture<Integer> post(URI uri, String json) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    public static String broadcastJson(byte[] payload, boolean offline, int ttlSeconds) {
        return "{\"broadcast\":true,\"base64\":\"" + Base64.getEncoder().encodeToString(payload)
                + "\",\"offline\":" + offline + ",\"ttlSeconds\":" + ttlSeconds + "}";
    }

    public static String unicastJson(String deviceId, byte[] payload, boolean offline, int ttlSeconds) {
        return "{\"deviceId\":\"" + deviceId + "\",\"base64\":\"" + Base64.getEncoder().encodeToString(payload)
                + "\",\"offline\":" + offline + ",\"ttlSeconds\":" + ttlSeconds + "}";
    }
}

package dev.herald.e2e;

import dev.herald.core.app.ApiSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A product team's server talking to push-api over real HTTP. Requests are signed
 * ({@code HERALD-HMAC-SHA256}, fresh timestamp and nonce each) unless made with {@link #basic}, which
 * sends HTTP Basic key:secret as the local demo allows.
 */
final class PushApi {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** How the requests authenticate. */
    enum Auth { SIGNED, BASIC }

    private final String baseUrl;
    private final String appId;
    private final String key;
    private final String secret;
    private final Auth auth;

    /** Signed requests. */
    PushApi(String baseUrl, String appId, String key, String secret) {
        this(baseUrl, appId, key, secret, Auth.SIGNED);
    }

    PushApi(String baseUrl, String appId, String key, String secret, Auth auth) {
        this.baseUrl = baseUrl;
        this.appId = appId;
        this.key = key;
        this.secret = secret;
        this.auth = auth;
    }

    /** HTTP Basic requests. */
    static PushApi basic(String baseUrl, String appId, String key, String secret) {
        return new PushApi(baseUrl, appId, key, secret, Auth.BASIC);
    }

    record Reply(int status, String contentType, JsonNode body, java.net.http.HttpHeaders headers) {
        String text(String field) {
            JsonNode n = body.get(field);
            return n == null ? null : n.asText();
        }

        long number(String field) {
            JsonNode n = body.get(field);
            return n == null ? -1 : n.asLong();
        }
    }

    Reply send(String json) {
        return post("/v1/apps/" + appId + "/messages", json);
    }

    /** A send with an {@code Idempotency-Key}: a retry with the same key answers the first id. */
    Reply send(String json, String idempotencyKey) {
        return request("POST", "/v1/apps/" + appId + "/messages", json, idempotencyKey);
    }

    /** Sends and insists on 202; returns the message id. */
    String accepted(String json) {
        Reply r = send(json);
        if (r.status() != 202) {
            throw new AssertionError("expected 202, got " + r.status() + ": " + r.body());
        }
        return r.text("id");
    }

    Reply get(String path) {
        return request("GET", path, null);
    }

    Reply delete(String path) {
        return request("DELETE", path, null);
    }

    Reply status(String messageId) {
        return get("/v1/apps/" + appId + "/messages/" + messageId);
    }

    String token(String deviceId) {
        Reply r = post("/v1/apps/" + appId + "/device-tokens", "{\"deviceId\":\"" + deviceId + "\"}");
        if (r.status() != 201) {
            throw new AssertionError("token minting failed: " + r.status() + " " + r.body());
        }
        return r.text("token");
    }

    Reply put(String path, String json) {
        return request("PUT", path, json);
    }

    /** Posts without waiting; completes with the status code. */
    java.util.concurrent.CompletableFuture<Integer> postAsync(String path, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(baseUrl + path);
        return HTTP.sendAsync(HttpRequest.newBuilder(uri)
                        .header("Authorization", authorization("POST", uri, bytes)).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    Reply post(String path, String json) {
        return request("POST", path, json);
    }

    /** {@code body} is sent as JSON; {@code null} sends none. */
    private Reply request(String method, String path, String body) {
        return request(method, path, body, null);
    }

    private Reply request(String method, String path, String body, String idempotencyKey) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization(method, uri, bytes))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        try {
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode node = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), node,
                    response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String authorization(String method, URI uri, byte[] body) {
        if (auth == Auth.BASIC) {
            return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
        }
        return ApiSignature.authorization(key, secret, method, uri.getRawPath(), uri.getRawQuery(), body);
    }
}

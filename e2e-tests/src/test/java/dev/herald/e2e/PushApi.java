package dev.herald.e2e;

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

/** A product team's server talking to push-api over real HTTP. */
final class PushApi {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String baseUrl;
    private final String appId;
    private final String authorization;

    PushApi(String baseUrl, String appId, String key, String secret) {
        this.baseUrl = baseUrl;
        this.appId = appId;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    record Reply(int status, String contentType, JsonNode body) {
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

    /** Sends and insists on 202; returns the message id. */
    String accepted(String json) {
        Reply r = send(json);
        if (r.status() != 202) {
            throw new AssertionError("expected 202, got " + r.status() + ": " + r.body());
        }
        return r.text("id");
    }

    Reply get(String path) {
        return request(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    Reply status(String messageId) {
        return request(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/apps/" + appId + "/messages/" + messageId)).GET());
    }

    String token(String deviceId) {
        Reply r = post("/v1/apps/" + appId + "/device-tokens", "{\"deviceId\":\"" + deviceId + "\"}");
        if (r.status() != 201) {
            throw new AssertionError("token minting failed: " + r.status() + " " + r.body());
        }
        return r.text("token");
    }

    Reply put(String path, String json) {
        return request(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply delete(String path) {
        return request(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE());
    }

    /** Posts without waiting; completes with the status code. */
    java.util.concurrent.CompletableFuture<Integer> postAsync(String path, String json) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Authorization", authorization).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    Reply post(String path, String json) {
        return request(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Reply request(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = HTTP.send(builder.header("Authorization", authorization)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode node = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.herald.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** An operator at the config-server's admin API, over real HTTP. */
final class ConfigAdmin {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String baseUrl;
    private final String token;

    ConfigAdmin(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    record Reply(int status, JsonNode body) {
        long version() {
            return body.path("version").asLong(-1);
        }
    }

    static String appJson(String id, String key, String cell, String... secrets) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < secrets.length; i++) {
            s.append(i == 0 ? "" : ",").append('"').append(secrets[i]).append('"');
        }
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"key\":\"" + key + "\",\"secrets\":" + s
                + "],\"cell\":\"" + cell + "\"}";
    }

    void createApp(String id, String key, String secret, String cell) {
        createApp(id, appJson(id, key, cell, secret));
    }

    /** Creates an app whose device uplinks are posted to {@code callbackUrl}. */
    void createAppWithCallback(String id, String key, String secret, String callbackUrl) {
        String json = appJson(id, key, "default", secret);
        createApp(id, json.substring(0, json.length() - 1) + ",\"callbackUrl\":\"" + callbackUrl + "\"}");
    }

    private void createApp(String id, String json) {
        Reply r = create("apps/" + id, json);
        if (r.status() != 201) {
            throw new AssertionError("creating app " + id + " failed: " + r.status() + " " + r.body());
        }
    }

    Reply create(String path, String valueJson) {
        return send("POST", "/admin/v1/config/" + path, "{\"value\":" + valueJson + "}");
    }

    Reply update(String path, long expectedVersion, String valueJson) {
        return send("PUT", "/admin/v1/config/" + path,
                "{\"expectedVersion\":" + expectedVersion + ",\"value\":" + valueJson + "}");
    }

    Reply read(String path) {
        return send("GET", "/admin/v1/config/" + path, null);
    }

    private Reply send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String body = r.body();
            return new Reply(r.statusCode(), body == null || body.isBlank()
                    ? PushApi.JSON.createObjectNode() : PushApi.JSON.readTree(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

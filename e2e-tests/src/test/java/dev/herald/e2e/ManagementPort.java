package dev.herald.e2e;

import dev.herald.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** A service's management port, as Prometheus, a probe or an operator reach it. */
final class ManagementPort {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServiceProcess service;

    ManagementPort(ServiceProcess service) {
        this.service = service;
    }

    static HttpResponse<byte[]> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, boolean management) {
        return get((management ? service.managementUrl() : service.baseUrl()) + path);
    }

    /** GETs {@code path} on the management port and insists on 200 with JSON. */
    JsonNode json(String path) {
        HttpResponse<byte[]> response = get(path, true);
        if (response.statusCode() != 200) {
            throw new AssertionError(service.name() + " " + path + " answered " + response.statusCode() + ": "
                    + new String(response.body()));
        }
        return PushApi.JSON.readTree(response.body());
    }

    /** POSTs a JSON body on the management port (write operations take JSON). */
    HttpResponse<String> post(String path, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + path))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String prometheus() {
        HttpResponse<byte[]> response = get("/actuator/prometheus", true);
        if (response.statusCode() != 200) {
            throw new AssertionError(service.name() + " /actuator/prometheus answered " + response.statusCode());
        }
        return new String(response.body());
    }

    /**
     * The sum of the samples of {@code name} (the Prometheus name, e.g. {@code herald_api_messages_accepted_total})
     * whose labels contain every fragment (e.g. {@code kind="device"}); 0 when there is none.
     */
    static double value(String prometheus, String name, String... labelFragments) {
        double sum = 0;
        for (String line : prometheus.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean matches = true;
            for (String fragment : labelFragments) {
                matches &= line.contains(fragment);
            }
            if (matches) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum += Double.isNaN(v) ? 0 : v;
            }
        }
        return sum;
    }

    /** The first sample line of {@code name}, to check its labels. */
    static String line(String prometheus, String name) {
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(name + "{")) {
                return line;
            }
        }
        throw new AssertionError("no sample of " + name);
    }
}

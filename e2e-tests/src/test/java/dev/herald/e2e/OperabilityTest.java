package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** What an SRE relies on: every service reports health with its Redis and exposes Prometheus metrics. */
@ExtendWith(HeraldSuite.class)
class OperabilityTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<ServiceProcess> services() {
        HeraldSuite s = HeraldSuite.get();
        return List.of(s.api, s.dispatcher, s.saver, s.access1, s.access2);
    }

    @Test
    void everyServiceIsHealthyIncludingItsRedis() throws Exception {
        for (ServiceProcess service : services()) {
            HttpResponse<String> response = get(service.baseUrl() + "/actuator/health");
            JsonNode health = PushApi.JSON.readTree(response.body());
            assertThat(health.path("status").asText()).as(service.name()).isEqualTo("UP");
            assertThat(health.path("components").path("redis").path("status").asText()).as(service.name()).isEqualTo("UP");
        }
    }

    @Test
    void everyServiceExposesPrometheusMetrics() throws Exception {
        for (ServiceProcess service : services()) {
            HttpResponse<String> response = get(service.baseUrl() + "/actuator/prometheus");
            assertThat(response.statusCode()).as(service.name()).isEqualTo(200);
            assertThat(response.body()).as(service.name()).contains("jvm_memory_used_bytes").contains("herald_");
        }
    }
}

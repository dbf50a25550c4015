package dev.herald.ops.testapp;

import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.HttpClientPool;
import dev.herald.ops.pools.HttpPoolSettings;
import java.time.Duration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** A service in miniature: a public endpoint, Redis and ZooKeeper from the environment, one HTTP pool. */
@SpringBootApplication
public class OpsTestApplication {

    /** The pool a service would use to call another; here it calls this application's own public port. */
    @Bean
    HttpClientPool selfPool(ClientPools pools) {
        return pools.http("self", HttpPoolSettings.of(4, Duration.ofSeconds(2)));
    }

    @RestController
    static class PublicApi {

        @GetMapping("/hello")
        String hello() {
            return "hello";
        }

        @GetMapping("/boom")
        String boom() {
            throw new ResponseStatusException(HttpStatus.INTERNAL_SERVER_ERROR, "boom");
        }
    }
}

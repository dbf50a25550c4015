package dev.herald.bench.compare;

import dev.herald.bench.scenario.PushApiClient;
import java.time.Duration;
import java.util.List;

/**
 * Where the running Herald suite is and how to send to it.
 *
 * @param access access node addresses {@code host:port}; devices are spread over them
 * @param redisPort the suite's Redis on 127.0.0.1 for INFO commandstats; 0 = not measured
 * @param pids the access nodes' pids for RSS; empty = found from the access ports (same machine)
 * @param batch unicasts per {@code POST .../messages/batch}
 * @param linger how long a partial batch waits for more messages
 * @param concurrency requests in flight at most
 * @param offline unicasts with {@code offline=true} (stored before delivery: the durable path)
 */
public record HeraldSettings(String api, List<String> access, String app, String key, String secret, PushApiClient.Auth auth,
                      int redisPort, List<Long> pids, int batch, Duration linger, int concurrency, boolean offline,
                      int ttlSeconds) {

    public HeraldSettings {
        access = List.copyOf(access);
        pids = List.copyOf(pids);
    }
}

package dev.herald.bench.cli;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import picocli.CommandLine.Option;

/** The Redis that agents and the coordinator meet in. */
final class RedisOption {

    @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379",
            description = "Redis URI where agents register and tasks are kept (the suite's Redis will do). Default: ${DEFAULT-VALUE}")
    String uri;

    RedisClient client() {
        return RedisClient.create(RedisURI.create(uri));
    }
}

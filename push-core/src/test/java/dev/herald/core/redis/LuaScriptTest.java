package dev.herald.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testsupport.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scripts on a pipeline go by SHA, are loaded when it connects, and survive a script cache that was emptied. */
class LuaScriptTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final LuaScript INCREMENT = LuaScript.of("""
            -- adds ARGV[1] to KEYS[1]
            return redis.call('INCRBY', KEYS[1], ARGV[1])
            """);

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> admin;

    @BeforeAll
    static void connect() {
        client = RedisClient.create("redis://" + REDIS.host() + ":" + REDIS.port());
        admin = client.connect();
    }

    @AfterAll
    static void close() {
        admin.close();
        client.shutdown();
    }

    private static long run(RedisPipeline pipeline) throws Exception {
        return pipeline.<java.util.concurrent.CompletableFuture<Long>>submit(c -> INCREMENT.eval(c, ScriptOutputType.INTEGER,
                List.of("counter"), List.of("2"))).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPipelineLoadsItsScriptsWhenItConnectsAndSendsThemBySha() throws Exception {
        admin.sync().scriptFlush();
        try (RedisPipeline pipeline = new RedisPipeline(() -> client, INCREMENT)) {
            long before = run(pipeline);

            assertThat(admin.sync().scriptExists(INCREMENT.sha())).containsExactly(true);
            assertThat(INCREMENT.text()).doesNotContain("adds ARGV");
            assertThat(run(pipeline)).isEqualTo(before + 2);
        }
    }

    @Test
    void aScriptCacheEmptiedWhileConnectedCostsOneCallWithTheText() throws Exception {
        try (RedisPipeline pipeline = new RedisPipeline(() -> client)) {
            long first = run(pipeline);
            admin.sync().scriptFlush();

            assertThat(run(pipeline)).isEqualTo(first + 2);
            assertThat(admin.sync().scriptExists(INCREMENT.sha())).containsExactly(true);
        }
    }
}

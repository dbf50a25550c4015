package dev.herald.bench.distributed;

import dev.herald.bench.report.ReportWriter;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Agents announce themselves in Redis: a heartbeat score in {@code h:bench:agents} and their details in
 * {@code h:bench:agent-info}. An agent is live while its heartbeat is younger than the liveness window,
 * so a crashed agent drops out by itself.
 */
final class AgentRegistry {

    private final RedisCommands<String, String> redis;
    private final Duration liveness;

    AgentRegistry(RedisCommands<String, String> redis, Duration liveness) {
        this.redis = redis;
        this.liveness = liveness;
    }

    void heartbeat(AgentInfo agent) {
        redis.hset(BenchKeys.AGENT_INFO, agent.name(), ReportWriter.JSON.writeValueAsString(agent));
        redis.zadd(BenchKeys.AGENTS, System.currentTimeMillis(), agent.name());
    }

    void remove(String name) {
        redis.zrem(BenchKeys.AGENTS, name);
        redis.hdel(BenchKeys.AGENT_INFO, name);
    }

    /** Live agents, sorted by name (the order in which they get slices). */
    List<AgentInfo> live() {
        long now = System.currentTimeMillis();
        List<String> names = redis.zrangebyscore(BenchKeys.AGENTS, Range.create(now - liveness.toMillis(), Double.POSITIVE_INFINITY));
        if (names.isEmpty()) {
            return List.of();
        }
        List<AgentInfo> agents = new ArrayList<>();
        for (KeyValue<String, String> kv : redis.hmget(BenchKeys.AGENT_INFO, names.toArray(String[]::new))) {
            if (kv.hasValue()) {
                AgentInfo info = ReportWriter.JSON.readValue(kv.getValue(), AgentInfo.class);
                Double score = redis.zscore(BenchKeys.AGENTS, info.name());
                agents.add(info.seen(score == null ? 0 : score.longValue()));
            }
        }
        agents.sort((a, b) -> a.name().compareTo(b.name()));
        return agents;
    }
}

package dev.herald.bench.distributed;

/** A registered agent: its unique name, where it runs, and how many worker processes it forks. */
public record AgentInfo(String name, String host, long pid, int processes, String startedAt, Long lastSeenMs) {

    AgentInfo seen(long lastSeenMs) {
        return new AgentInfo(name, host, pid, processes, startedAt, lastSeenMs);
    }
}

package dev.herald.bench.distributed;

/**
 * Redis keys of distributed runs; all under {@code h:bench:} so they never meet Herald's own keys
 * (agents may use the suite's Redis).
 *
 * <table>
 * <tr><td>live agents</td><td>{@code h:bench:agents}</td><td>ZSET agent → last heartbeat (epoch ms)</td></tr>
 * <tr><td>agent details</td><td>{@code h:bench:agent-info}</td><td>HASH agent → JSON {@link AgentInfo}</td></tr>
 * <tr><td>task fan-out</td><td>{@code h:bench:tasks}</td><td>STREAM of {@link TaskAssignment}s, field {@code d}, capped</td></tr>
 * <tr><td>task list</td><td>{@code h:bench:task-list}</td><td>ZSET task id → created (epoch ms)</td></tr>
 * <tr><td>a task and its report</td><td>{@code h:bench:task:{id}}</td><td>STRING JSON {@link TaskRecord}</td></tr>
 * <tr><td>a task's live exchange</td><td>{@code h:bench:run:{id}}</td><td>HASH {@code ready:<agent>},
 *     {@code progress:<agent>}, {@code result:<agent>}, {@code failed:<agent>}, {@code finish}, {@code abort}</td></tr>
 * </table>
 */
final class BenchKeys {

    static final String AGENTS = "h:bench:agents";
    static final String AGENT_INFO = "h:bench:agent-info";
    static final String TASKS = "h:bench:tasks";
    static final String TASK_LIST = "h:bench:task-list";
    static final String FIELD = "d";

    static final String READY = "ready:";
    static final String PROGRESS = "progress:";
    static final String RESULT = "result:";
    static final String FAILED = "failed:";
    static final String FINISH = "finish";
    static final String ABORT = "abort";

    private BenchKeys() {
    }

    static String task(String id) {
        return "h:bench:task:{" + id + "}";
    }

    static String run(String id) {
        return "h:bench:run:{" + id + "}";
    }
}

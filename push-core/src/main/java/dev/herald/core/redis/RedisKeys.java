package dev.herald.core.redis;

/**
 * Every Redis key Herald uses, in one place. Keys are laid out for Redis Cluster: the part in braces
 * is the hash tag, so all keys of one device ({@code app:device}) share a slot, as do all keys of one
 * app's broadcast log and each message's body and status. Scaling out needs no data migration.
 *
 * <table>
 * <tr><td>intake stream of a cell</td><td>{@code h:intake:{cell}}</td><td>STREAM, consumer group {@link #DISPATCHER_GROUP}</td></tr>
 * <tr><td>deliveries to one access node</td><td>{@code h:deliveries:{node}}</td><td>STREAM, capped</td></tr>
 * <tr><td>live access nodes</td><td>{@code h:nodes}</td><td>ZSET node → last heartbeat (epoch ms)</td></tr>
 * <tr><td>route of a device</td><td>{@code h:route:{app:device}}</td><td>STRING node id</td></tr>
 * <tr><td>pending unicasts of a device</td><td>{@code h:pending:{app:device}}</td><td>ZSET message id → expiry (epoch ms)</td></tr>
 * <tr><td>recently acknowledged ids of a device</td><td>{@code h:acked:{app:device}}</td><td>ZSET message id → first ack (epoch ms), bounded: counts each (device, message) delivery once</td></tr>
 * <tr><td>broadcast cursor of a device</td><td>{@code h:cursor:{app:device}}</td><td>STRING last acknowledged broadcast seq</td></tr>
 * <tr><td>message body (stored once)</td><td>{@code h:body:{id}}</td><td>STRING JSON, TTL = message TTL</td></tr>
 * <tr><td>broadcast log of an app</td><td>{@code h:blog:{app}}</td><td>ZSET message id → seq</td></tr>
 * <tr><td>broadcast seq counter of an app</td><td>{@code h:bseq:{app}}</td><td>STRING counter</td></tr>
 * <tr><td>message status</td><td>{@code h:status:{id}}</td><td>HASH of counters</td></tr>
 * <tr><td>idempotency key</td><td>{@code h:idem:{app}:key}</td><td>STRING message id, 24 h</td></tr>
 * <tr><td>nonce of a signed API request</td><td>{@code h:nonce:{app}:nonce}</td><td>STRING, expires when the request's timestamp leaves the replay window</td></tr>
 * <tr><td>send limits of an app</td><td>{@code h:limit:{app}}</td><td>HASH tokens, ts (ms), day, used: token bucket and daily count, 2 days</td></tr>
 * <tr><td>idempotency key of a batch</td><td>{@code h:idem-batch:{app}:key}</td><td>STRING comma-separated message ids, 24 h</td></tr>
 * <tr><td>uplink stream of a cell</td><td>{@code h:uplink:{cell}}</td><td>STREAM of UplinkMessage JSON, consumer group {@link #UPLINK_GROUP}</td></tr>
 * <tr><td>uplink callbacks waiting for a retry</td><td>{@code h:uplink-retry:{cell}}</td><td>ZSET JSON (message + attempts + last error) → next attempt (epoch ms)</td></tr>
 * <tr><td>uplink dead letters of an app</td><td>{@code h:uplink-dlq:{app}}</td><td>STREAM, capped: message, attempts, last error, time</td></tr>
 * </table>
 */
public final class RedisKeys {

    public static final String DISPATCHER_GROUP = "dispatchers";
    /** Consumer group of the dispatchers' callback workers on {@link #uplink(String)}. */
    public static final String UPLINK_GROUP = "uplink-callbacks";
    /** Field name of the JSON document in every stream entry. */
    public static final String STREAM_FIELD = "d";
    public static final String LIVE_NODES = "h:nodes";

    private RedisKeys() {
    }

    public static String intake(String cell) {
        return "h:intake:{" + cell + "}";
    }

    public static String deliveries(String nodeId) {
        return "h:deliveries:{" + nodeId + "}";
    }

    public static String route(String appId, String deviceId) {
        return "h:route:{" + appId + ":" + deviceId + "}";
    }

    public static String pending(String appId, String deviceId) {
        return "h:pending:{" + appId + ":" + deviceId + "}";
    }

    public static String cursor(String appId, String deviceId) {
        return "h:cursor:{" + appId + ":" + deviceId + "}";
    }

    public static String acknowledged(String appId, String deviceId) {
        return "h:acked:{" + appId + ":" + deviceId + "}";
    }

    public static String body(String messageId) {
        return "h:body:{" + messageId + "}";
    }

    public static String broadcastLog(String appId) {
        return "h:blog:{" + appId + "}";
    }

    public static String broadcastSeq(String appId) {
        return "h:bseq:{" + appId + "}";
    }

    public static String status(String messageId) {
        return "h:status:{" + messageId + "}";
    }

    public static String idempotency(String appId, String key) {
        return "h:idem:{" + appId + "}:" + key;
    }

    public static String nonce(String appId, String nonce) {
        return "h:nonce:{" + appId + "}:" + nonce;
    }

    public static String limits(String appId) {
        return "h:limit:{" + appId + "}";
    }

    /** A batch's Idempotency-Key: its own namespace, so a single send's key never answers for a batch. */
    public static String idempotentBatch(String appId, String key) {
        return "h:idem-batch:{" + appId + "}:" + key;
    }

    public static String uplink(String cell) {
        return "h:uplink:{" + cell + "}";
    }

    public static String uplinkRetry(String cell) {
        return "h:uplink-retry:{" + cell + "}";
    }

    public static String uplinkDeadLetters(String appId) {
        return "h:uplink-dlq:{" + appId + "}";
    }
}

package dev.herald.core.redis;

import dev.herald.protocol.MessageId;

/**
 * Every Redis key Herald uses, in one place. Keys are laid out for Redis Cluster: the part in braces
 * is the hash tag, so all keys of one device ({@code app:device}) share a slot, as do all keys of one
 * app's broadcast log and each message's body and status. Scaling out needs no data migration.
 *
 * <table>
 * <tr><td>intake stream of a cell</td><td>{@code h:intake:{cell}}</td><td>STREAM, one entry per send request (its messages
 * in {@link #INTAKE_MESSAGES_FIELD}), consumer group {@link #DISPATCHER_GROUP}</td></tr>
 * <tr><td>deliveries to one access node</td><td>{@code h:deliveries:{node}}</td><td>STREAM, capped: one entry per
 * dispatched batch ({@link #DELIVERIES_FIELD}), room delivery ({@link #ROOM_FIELD}) or token revocation
 * ({@link #REVOCATION_FIELD})</td></tr>
 * <tr><td>live access nodes</td><td>{@code h:nodes}</td><td>ZSET node → last heartbeat (epoch ms)</td></tr>
 * <tr><td>route of a device</td><td>{@code h:route:{app:device}}</td><td>STRING node id</td></tr>
 * <tr><td>token revocation of a device</td><td>{@code h:revoked:{app:device}}</td><td>STRING epoch ms: the device's
 * tokens issued at or before it are refused; expires after the longest token lifetime. Read with the route write
 * at CONNECT</td></tr>
 * <tr><td>pending unicasts of a device</td><td>{@code h:pending:{app:device}}</td><td>ZSET message id → expiry (epoch ms)</td></tr>
 * <tr><td>devices with pending unicasts, one of {@link #PENDING_DUE_SHARDS} shards</td><td>{@code h:pending-due:{n}}</td><td>ZSET {@code app:device} → its earliest pending expiry (epoch ms): the saver's expiry sweep</td></tr>
 * <tr><td>recently acknowledged ids of a device</td><td>{@code h:acked:{app:device}}</td><td>ZSET message id → first ack (epoch ms), bounded: counts each (device, message) delivery once</td></tr>
 * <tr><td>broadcast cursor of a device</td><td>{@code h:cursor:{app:device}}</td><td>STRING last acknowledged broadcast seq</td></tr>
 * <tr><td>message body (stored once)</td><td>{@code h:body:{id}}</td><td>STRING JSON, TTL = message TTL</td></tr>
 * <tr><td>broadcast log of an app</td><td>{@code h:blog:{app}}</td><td>ZSET message id → seq</td></tr>
 * <tr><td>broadcast seq counter of an app</td><td>{@code h:bseq:{app}}</td><td>STRING counter</td></tr>
 * <tr><td>message status</td><td>{@code h:status:{id prefix}rest}</td><td>HASH of counters; tagged by the id's first
 * 12 characters, which the messages of one request share, so a request's statuses are written in one slot</td></tr>
 * <tr><td>idempotency key</td><td>{@code h:idem:{app}:key}</td><td>STRING request fingerprint (SHA-256, hex), a space, message id; 24 h</td></tr>
 * <tr><td>nonce of a signed API request</td><td>{@code h:nonce:{app}:nonce}</td><td>STRING, expires when the request's timestamp leaves the replay window</td></tr>
 * <tr><td>send limits of an app</td><td>{@code h:limit:{app}}</td><td>HASH tokens, ts (ms), day, used: token bucket and daily count, 2 days</td></tr>
 * <tr><td>idempotency key of a batch</td><td>{@code h:idem-batch:{app}:key}</td><td>STRING request fingerprint, a space, comma-separated message ids; 24 h</td></tr>
 * <tr><td>uplink stream of a cell</td><td>{@code h:uplink:{cell}}</td><td>STREAM of UplinkMessage JSON, consumer group {@link #UPLINK_GROUP}</td></tr>
 * <tr><td>uplink callbacks waiting for a retry</td><td>{@code h:uplink-retry:{cell}}</td><td>ZSET JSON (message + attempts + last error) → next attempt (epoch ms)</td></tr>
 * <tr><td>uplink dead letters of an app</td><td>{@code h:uplink-dlq:{app}}</td><td>STREAM, capped: message, attempts, last error, time</td></tr>
 * <tr><td>room messages to order, per cell</td><td>{@code h:room-intake:{cell}}</td><td>STREAM of RoomPost JSON, consumer group {@link #ROOM_SEQUENCER_GROUP}</td></tr>
 * <tr><td>members of a room</td><td>{@code h:room:members:{app:room}}</td><td>HASH device → access node</td></tr>
 * <tr><td>access nodes hosting a room</td><td>{@code h:room:nodes:{app:room}}</td><td>HASH node → members on it</td></tr>
 * <tr><td>members of a room on one node</td><td>{@code h:room:on:{app:room}:<node>}</td><td>SET device</td></tr>
 * <tr><td>a room's sequence</td><td>{@code h:room:seq:{app:room}}</td><td>STRING counter, the room's one order</td></tr>
 * <tr><td>a room's history</td><td>{@code h:room:history:{app:room}}</td><td>STREAM, capped by count, trimmed by age</td></tr>
 * <tr><td>a room's recently ordered ids</td><td>{@code h:room:recent:{app:room}}</td><td>ZSET message id → seq, bounded: a re-read intake entry keeps its seq</td></tr>
 * <tr><td>muted members, banned (kicked) devices</td><td>{@code h:room:muted:{app:room}}, {@code h:room:bans:{app:room}}</td><td>HASH device → until (epoch ms)</td></tr>
 * <tr><td>rooms of an app</td><td>{@code h:rooms:{app}}</td><td>ZSET room → last activity (epoch ms)</td></tr>
 * <tr><td>rooms with members on a node</td><td>{@code h:node-rooms:{node}}</td><td>SET {@code app/room}</td></tr>
 * <tr><td>nodes that host room members, per cell</td><td>{@code h:room-hosts:{cell}}</td><td>SET node</td></tr>
 * <tr><td>the cell's room sequencer</td><td>{@code h:room-sequencer:{cell}}</td><td>STRING instance id, PX lease</td></tr>
 * </table>
 */
public final class RedisKeys {

    public static final String DISPATCHER_GROUP = "dispatchers";
    /** Consumer group of the dispatchers' callback workers on {@link #uplink(String)}. */
    public static final String UPLINK_GROUP = "uplink-callbacks";
    /** Field name of the JSON document in every stream entry. */
    public static final String STREAM_FIELD = "d";
    /**
     * Field name of an intake entry's messages: a JSON array of {@code IntakeMessage}, the messages of one
     * send request in request order (an entry with {@link #STREAM_FIELD} holds one message).
     */
    public static final String INTAKE_MESSAGES_FIELD = "m";
    /**
     * Field name of a node's delivery entry: a JSON array of {@code DeliveryCommand}, everything one dispatched
     * batch has for the node, in intake order (an entry with {@link #STREAM_FIELD} holds one command).
     */
    public static final String DELIVERIES_FIELD = "c";
    public static final String LIVE_NODES = "h:nodes";
    /** Field name of a room delivery ({@code RoomDelivery} JSON) in a node's delivery stream. */
    public static final String ROOM_FIELD = "r";
    /**
     * Field name of a token revocation ({@code TokenRevocation} JSON) in a node's delivery stream: push-api tells every
     * live node to close the device's connection if its token was issued up to then.
     */
    public static final String REVOCATION_FIELD = "k";
    /** Consumer group (and the one consumer name) of the room sequencer on {@link #roomIntake(String)}. */
    public static final String ROOM_SEQUENCER_GROUP = "sequencer";
    /**
     * Shards of the index of devices with pending unicasts ({@link #pendingDue(String, String)}): each in its own
     * slot, so the index spreads over a cluster. Fixed: changing it would strand the members of dropped shards.
     */
    public static final int PENDING_DUE_SHARDS = 16;

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

    /** Same hash tag as {@link #route}: the access node reads it in the pipelined round that writes the route. */
    public static String revoked(String appId, String deviceId) {
        return "h:revoked:{" + appId + ":" + deviceId + "}";
    }

    public static String pending(String appId, String deviceId) {
        return "h:pending:{" + appId + ":" + deviceId + "}";
    }

    /** The shard of the pending-expiry index that holds the device ({@link #pendingDueMember}). */
    public static String pendingDue(String appId, String deviceId) {
        return pendingDueShard(Math.floorMod(pendingDueMember(appId, deviceId).hashCode(), PENDING_DUE_SHARDS));
    }

    public static String pendingDueShard(int shard) {
        return "h:pending-due:{" + shard + "}";
    }

    /** A device in the pending-expiry index: {@code app:device}, split at the first colon (app ids have none). */
    public static String pendingDueMember(String appId, String deviceId) {
        return appId + ":" + deviceId;
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

    /**
     * Tagged by the id's first {@value MessageId#SHARED_PREFIX_CHARS} characters: the ids of one request share them
     * ({@code MessageId.batch}), so one script writes all of a request's statuses.
     */
    public static String status(String messageId) {
        String tag = statusTag(messageId);
        return "h:status:{" + tag + "}" + messageId.substring(tag.length());
    }

    /** The hash tag of a message's status key: messages with the same tag have their statuses in one slot. */
    public static String statusTag(String messageId) {
        return messageId.length() <= MessageId.SHARED_PREFIX_CHARS ? messageId
                : messageId.substring(0, MessageId.SHARED_PREFIX_CHARS);
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

    public static String roomIntake(String cell) {
        return "h:room-intake:{" + cell + "}";
    }

    private static String room(String appId, String roomId) {
        return "{" + appId + ":" + roomId + "}";
    }

    public static String roomMembers(String appId, String roomId) {
        return "h:room:members:" + room(appId, roomId);
    }

    public static String roomNodes(String appId, String roomId) {
        return "h:room:nodes:" + room(appId, roomId);
    }

    public static String roomNodeMembers(String appId, String roomId, String nodeId) {
        return "h:room:on:" + room(appId, roomId) + ":" + nodeId;
    }

    public static String roomSeq(String appId, String roomId) {
        return "h:room:seq:" + room(appId, roomId);
    }

    public static String roomHistory(String appId, String roomId) {
        return "h:room:history:" + room(appId, roomId);
    }

    public static String roomRecent(String appId, String roomId) {
        return "h:room:recent:" + room(appId, roomId);
    }

    public static String roomMuted(String appId, String roomId) {
        return "h:room:muted:" + room(appId, roomId);
    }

    public static String roomBans(String appId, String roomId) {
        return "h:room:bans:" + room(appId, roomId);
    }

    public static String rooms(String appId) {
        return "h:rooms:{" + appId + "}";
    }

    public static String nodeRooms(String nodeId) {
        return "h:node-rooms:{" + nodeId + "}";
    }

    public static String roomHosts(String cell) {
        return "h:room-hosts:{" + cell + "}";
    }

    public static String roomSequencer(String cell) {
        return "h:room-sequencer:{" + cell + "}";
    }
}

package dev.herald.room;

import dev.herald.core.room.RoomMessage;

/**
 * The Lua scripts that change a room's membership and order, shared by the access nodes (join, leave, purge
 * of their own leftovers at start-up) and the chatroom-service (sequencing, kick, purge of dead nodes), so
 * both keep the layout of {@code RedisKeys.room*} the same way. Every script touches the keys of one room
 * only (hash tag {@code {app:room}}), so it runs unchanged on Redis Cluster. Results are arrays of strings.
 *
 * <p>Membership: {@code members} (device → node), {@code nodes} (node → members on it), one set per node
 * ({@code on:<node>}, its members). A device that joins on a second node (its session moved) is recorded
 * there; the first node's leave then removes only its own set entry, because removal compares the node.
 */
public final class RoomScripts {

    private RoomScripts() {
    }

    /**
     * KEYS: members, nodes, nodeMembers (this node), bans, seq. ARGV: device, node, now (epoch ms).
     * Returns {@code {"banned", until}} or {@code {"joined", memberCount, roomSeq}}.
     */
    public static final String JOIN = """
            local ban = redis.call('HGET', KEYS[4], ARGV[1])
            if ban then
              if tonumber(ban) > tonumber(ARGV[3]) then return {'banned', ban} end
              redis.call('HDEL', KEYS[4], ARGV[1])
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            if redis.call('SADD', KEYS[3], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[2], ARGV[2], 1) end
            return {'joined', tostring(redis.call('HLEN', KEYS[1])), redis.call('GET', KEYS[5]) or '0'}
            """;

    /**
     * KEYS: members, nodes, nodeMembers (this node). ARGV: device, node. Removes the device from this node's
     * set, and from the room if this node is still where it is a member. Returns {@code {"1"}} when it was.
     */
    public static final String LEAVE = """
            if redis.call('SREM', KEYS[3], ARGV[1]) == 1 then
              if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
            end
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              return {'1'}
            end
            return {'0'}
            """;

    /**
     * KEYS: members, nodes, nodeMembers (the node). ARGV: node, chunk. Removes up to {@code chunk} of the
     * node's members of the room (those still recorded on that node). Returns {@code {removed, left}}: call
     * again while {@code left} is not 0, so no call blocks Redis for a whole large room.
     */
    public static final String PURGE_NODE = """
            local devices = redis.call('SPOP', KEYS[3], tonumber(ARGV[2]))
            local removed = 0
            for _, d in ipairs(devices) do
              if redis.call('HGET', KEYS[1], d) == ARGV[1] then
                redis.call('HDEL', KEYS[1], d)
                removed = removed + 1
              end
            end
            local left = redis.call('SCARD', KEYS[3])
            if left == 0 then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HSET', KEYS[2], ARGV[1], left) end
            return {tostring(removed), tostring(left)}
            """;

    /**
     * The room's one order. KEYS: seq, history, nodes, muted, members, recent. ARGV: messageId, sender ({@code ""}
     * for the app), now, historySize, historyMinId (entries older are trimmed), historyTtlMs, document (the
     * {@link RoomMessage} JSON with seq 0), recentSize, expiresAt (of the history entry).
     *
     * <p>Returns {@code {"muted", until}}, {@code {"not-member"}}, or {@code {"ok"|"dup", seq, node...}}: the
     * message's seq and the nodes hosting members now. {@code dup}: the id was ordered before (a re-read intake
     * entry after a crash) and keeps its seq; members drop it by seq if they have it.
     */
    public static final String SEQUENCE = """
            local out
            local prior = redis.call('ZSCORE', KEYS[6], ARGV[1])
            if prior then
              out = {'dup', prior}
            else
              if ARGV[2] ~= '' then
                local m = redis.call('HGET', KEYS[4], ARGV[2])
                if m and tonumber(m) > tonumber(ARGV[3]) then return {'muted', m} end
                if redis.call('HEXISTS', KEYS[5], ARGV[2]) == 0 then return {'not-member'} end
              end
              local seq = redis.call('INCR', KEYS[1])
              redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], '*', 's', seq, 'e', ARGV[9], 'd', ARGV[7])
              redis.call('XTRIM', KEYS[2], 'MINID', ARGV[5])
              redis.call('PEXPIRE', KEYS[2], ARGV[6])
              redis.call('ZADD', KEYS[6], seq, ARGV[1])
              redis.call('ZREMRANGEBYRANK', KEYS[6], 0, -(tonumber(ARGV[8]) + 1))
              redis.call('PEXPIRE', KEYS[6], 3600000)
              out = {'ok', tostring(seq)}
            end
            for _, n in ipairs(redis.call('HKEYS', KEYS[3])) do out[#out + 1] = n end
            return out
            """;

    /**
     * KEYS: members, nodes, nodeMembers (the member's node), bans. ARGV: device, node, banUntil (epoch ms, 0 =
     * no ban). Returns {@code {"1"}} when the device was a member on that node.
     */
    public static final String KICK = """
            local removed = '0'
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              removed = '1'
            end
            if redis.call('SREM', KEYS[3], ARGV[1]) == 1 then
              if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
            end
            if tonumber(ARGV[3]) > 0 then redis.call('HSET', KEYS[4], ARGV[1], ARGV[3]) end
            return {removed}
            """;
}

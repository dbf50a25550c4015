package dev.herald.api.message;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.redis.LuaScript;
import dev.herald.core.message.TargetKind;

/**
 * The script that writes the status hashes of one request's messages, two commands each: their descriptive
 * fields, and a lifetime of the message's plus {@link MessageStatus#RETENTION_AFTER_EXPIRY_MS}. It writes
 * neither {@code state} (a missing one reads as {@code accepted}; the dispatcher sets {@code dispatched}) nor
 * a counter (a missing one reads as 0): on Redis Cluster the hash and the intake entry are on different
 * nodes, so a dispatcher's write may land first, and nothing here may undo it. Broadcasts get no {@code targets}: the access nodes count them.
 *
 * <p>KEYS: the status hashes (one slot). ARGV[1]: retention (ms); then {@link #ARGS_PER_MESSAGE} per message.
 */
final class AcceptedStatuses {

    static final int ARGS_PER_MESSAGE = 6;

    static final LuaScript SCRIPT = LuaScript.of("""
            local retention = tonumber(ARGV[1])
            for i = 1, #KEYS do
              local a = 2 + (i - 1) * %1$d
              if ARGV[a + 5] ~= '' then
                redis.call('HSET', KEYS[i], '%2$s', ARGV[a], '%3$s', ARGV[a + 1], '%4$s', ARGV[a + 2], '%5$s', ARGV[a + 3], '%6$s', ARGV[a + 4], '%7$s', ARGV[a + 5])
              else
                redis.call('HSET', KEYS[i], '%2$s', ARGV[a], '%3$s', ARGV[a + 1], '%4$s', ARGV[a + 2], '%5$s', ARGV[a + 3], '%6$s', ARGV[a + 4])
              end
              redis.call('PEXPIREAT', KEYS[i], tonumber(ARGV[a + 4]) + retention)
            end
            return #KEYS
            """.formatted(ARGS_PER_MESSAGE, MessageStatus.APP, MessageStatus.KIND, MessageStatus.OFFLINE,
            MessageStatus.CREATED_AT, MessageStatus.EXPIRES_AT, MessageStatus.TARGETS));

    private AcceptedStatuses() {
    }

    /** Writes one message's arguments into {@code args} from {@code at}. */
    static void arguments(String[] args, int at, String appId, OutgoingMessage message, long createdAt, long expiresAt) {
        args[at] = appId;
        args[at + 1] = message.kind().name();
        args[at + 2] = String.valueOf(message.offline());
        args[at + 3] = String.valueOf(createdAt);
        args[at + 4] = String.valueOf(expiresAt);
        args[at + 5] = message.kind() == TargetKind.BROADCAST ? "" : String.valueOf(message.targets());
    }
}

package dev.herald.dispatcher.fanout;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.redis.LuaScript;
import dev.herald.core.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The script that records the dispatch of messages whose status hashes share a slot (the messages of one
 * send request): {@code state} dispatched, the online-only targets that were not connected ({@code dropped}),
 * the targets of a message that expired before dispatch ({@code expired}), what the offline store newly holds of it
 * ({@code stored}), and the hash's lifetime again, so
 * a hash this write creates (push-api's write landed elsewhere first, or was lost) never lives forever.
 *
 * <p>KEYS: the status hashes (one slot). ARGV: {@link #ARGS_PER_MESSAGE} per message: dropped, expired
 * targets, newly stored offline entries, expiry of the hash (epoch ms).
 */
public final class DispatchedStatuses {

    static final int ARGS_PER_MESSAGE = 4;

    /** Loaded up front by the fan-out pipeline. */
    public static final LuaScript SCRIPT = LuaScript.of("""
            for i = 1, #KEYS do
              local a = (i - 1) * %1$d
              redis.call('HSET', KEYS[i], '%2$s', '%3$s')
              if ARGV[a + 1] ~= '0' then
                redis.call('HINCRBY', KEYS[i], '%4$s', ARGV[a + 1])
              end
              if ARGV[a + 2] ~= '0' then
                redis.call('HINCRBY', KEYS[i], '%5$s', ARGV[a + 2])
              end
              if ARGV[a + 3] ~= '0' then
                redis.call('HINCRBY', KEYS[i], '%6$s', ARGV[a + 3])
              end
              redis.call('PEXPIREAT', KEYS[i], ARGV[a + 4])
            end
            return #KEYS
            """.formatted(ARGS_PER_MESSAGE, MessageStatus.STATE, MessageStatus.STATE_DISPATCHED,
            MessageStatus.DROPPED, MessageStatus.EXPIRED, MessageStatus.STORED));

    private DispatchedStatuses() {
    }

    /** Issues the script for {@code changes}, whose status hashes must share a slot. */
    static CompletableFuture<Long> write(RedisClusterAsyncCommands<String, String> commands,
                                         List<FanoutPlan.StatusChange> changes) {
        String[] keys = new String[changes.size()];
        String[] args = new String[ARGS_PER_MESSAGE * changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            FanoutPlan.StatusChange change = changes.get(i);
            keys[i] = RedisKeys.status(change.messageId());
            args[ARGS_PER_MESSAGE * i] = String.valueOf(change.dropped());
            args[ARGS_PER_MESSAGE * i + 1] = String.valueOf(change.expiredTargets());
            args[ARGS_PER_MESSAGE * i + 2] = String.valueOf(change.stored());
            args[ARGS_PER_MESSAGE * i + 3] = String.valueOf(change.expiresAt() + MessageStatus.RETENTION_AFTER_EXPIRY_MS);
        }
        return SCRIPT.eval(commands, ScriptOutputType.INTEGER, keys, args);
    }
}

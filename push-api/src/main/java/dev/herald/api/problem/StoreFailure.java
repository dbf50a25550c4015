package dev.herald.api.problem;

import io.lettuce.core.RedisException;
import io.netty.channel.ChannelException;
import java.io.IOException;
import org.springframework.dao.DataAccessException;

/**
 * Tells whether an error means that Redis, push-api's only store, failed or could not be reached: an answer
 * worth a retryable 503 rather than a 500. Redis failures arrive in many shapes (Spring's translated
 * {@link DataAccessException}, Lettuce's own {@link RedisException} from untranslated reactive commands, the
 * bare socket error of a connection reset under a command in flight, a Netty channel error while
 * reconnecting), and sometimes wrapped by an operator on the way, so the whole cause chain is searched.
 * Request bodies are read and decoded before a handler runs, so an I/O error seen here is the store's.
 */
public final class StoreFailure {

    private static final int MAX_DEPTH = 16;

    private StoreFailure() {
    }

    /** The first error in {@code error}'s cause chain that is a store failure, or {@code null}. */
    public static Throwable find(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (t instanceof DataAccessException || t instanceof RedisException || t instanceof IOException
                    || t instanceof ChannelException) {
                return t;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return null;
    }

    public static boolean is(Throwable error) {
        return find(error) != null;
    }
}

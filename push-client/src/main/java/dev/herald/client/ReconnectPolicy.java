package dev.herald.client;

import dev.herald.protocol.ErrorCode;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Whether and when to try again after a connection ended or an attempt failed: never after a refusal a
 * retry would meet again, never when reconnecting is off, otherwise after a {@link Backoff} that grows
 * with each failed attempt and starts over once a connection is accepted. Confined to the event loop.
 */
final class ReconnectPolicy {

    /** Reasons after which a reconnect would be refused the same way. */
    private static final Set<ErrorCode> PERMANENT = EnumSet.of(ErrorCode.BAD_TOKEN, ErrorCode.TOKEN_EXPIRED,
            ErrorCode.UNKNOWN_APP, ErrorCode.TOO_MANY_APPS, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.SESSION_REPLACED);

    /** {@code null} when reconnecting is off. */
    private final Backoff backoff;
    private int failedAttempts;

    private ReconnectPolicy(Backoff backoff) {
        this.backoff = backoff;
    }

    static ReconnectPolicy withBackoff(Backoff backoff) {
        return new ReconnectPolicy(Objects.requireNonNull(backoff, "backoff"));
    }

    static ReconnectPolicy never() {
        return new ReconnectPolicy(null);
    }

    /**
     * True when the server ended the session, or refused the CONNECT, for a reason a retry cannot fix.
     *
     * @param closedByServer the server gave the reason (a refusing CONNACK or a DISCONNECT)
     * @param refused the reason came in a CONNACK refusing the CONNECT
     */
    static boolean retryWouldBeRefused(ErrorCode reason, boolean closedByServer, boolean refused) {
        // A CONNECT refused as malformed (device id shape, an app listed twice) would be refused again.
        return closedByServer && PERMANENT.contains(reason) || refused && reason == ErrorCode.MALFORMED_FRAME;
    }

    boolean enabled() {
        return backoff != null;
    }

    /** The wait before the next attempt; counts a failed attempt, so the one after waits longer. */
    long nextDelayMillis() {
        if (backoff == null) {
            throw new IllegalStateException("reconnecting is off");
        }
        return backoff.delayMillis(failedAttempts++);
    }

    /** A connection was accepted: the next failure waits the initial back-off again. */
    void connected() {
        failedAttempts = 0;
    }
}

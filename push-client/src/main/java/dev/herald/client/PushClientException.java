package dev.herald.client;

import dev.herald.protocol.ErrorCode;

/**
 * A connection attempt failed (the server refused it, it timed out, or the network failed), or an uplink
 * was not accepted ({@link ErrorCode#UPLINK_REJECTED}).
 */
public final class PushClientException extends RuntimeException {

    private final ErrorCode code;

    public PushClientException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public PushClientException(ErrorCode code, String message, Throwable cause) {
        super(code == null ? message : code + ": " + message, cause);
        this.code = code;
    }

    /**
     * The protocol code: the refusing CONNACK's code, {@link ErrorCode#HANDSHAKE_TIMEOUT} when no CONNACK
     * came in time, the code of a DISCONNECT received during the handshake, {@link ErrorCode#CLIENT_DISCONNECT}
     * when the client was closed meanwhile, {@link ErrorCode#UPLINK_REJECTED} (or the code of the server's ERROR)
     * for an uplink not accepted; {@code null} when the network failed before the server could
     * answer (see {@link #getCause()}).
     */
    public ErrorCode code() {
        return code;
    }
}

package dev.herald.protocol;

/** A frame that breaks the protocol; {@link #code()} says how, for the error or disconnect frame. */
public final class ProtocolException extends RuntimeException {

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}

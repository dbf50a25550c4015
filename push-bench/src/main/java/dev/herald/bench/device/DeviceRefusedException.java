package dev.herald.bench.device;

/** The server refused a device's login, or the connection ended before the login completed. */
public final class DeviceRefusedException extends RuntimeException {

    private final String reason;

    public DeviceRefusedException(String reason, String message) {
        super(reason + (message == null || message.isEmpty() ? "" : ": " + message), null, false, false);
        this.reason = reason;
    }

    /** A short, countable reason: an error code name or an exception class. */
    public String reason() {
        return reason;
    }
}

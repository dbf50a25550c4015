package dev.herald.dispatcher.uplink;

/**
 * What one callback attempt came to.
 *
 * @param attempted false when no request was made (unknown app, no callback URL): retrying cannot help
 * @param error     why it failed; {@code null} when delivered
 */
record CallbackResult(boolean attempted, String error) {

    static final CallbackResult DELIVERED = new CallbackResult(true, null);

    static CallbackResult failed(String error) {
        return new CallbackResult(true, error);
    }

    static CallbackResult impossible(String reason) {
        return new CallbackResult(false, reason);
    }

    boolean delivered() {
        return error == null;
    }
}

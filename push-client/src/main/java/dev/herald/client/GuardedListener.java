package dev.herald.client;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's {@link PushListener}, called so that an exception it throws is logged instead of
 * reaching the client's state machine or Netty's pipeline. Called on the event loop only.
 */
final class GuardedListener {

    // Under PushClient's name, where the SDK's users already look for (and configure) its log.
    private static final Logger log = LoggerFactory.getLogger(PushClient.class);

    private final PushListener listener;
    private final String deviceId;

    GuardedListener(PushListener listener, String deviceId) {
        this.listener = listener;
        this.deviceId = deviceId;
    }

    /** Calls the listener; a failure is logged and otherwise ignored. */
    void call(Consumer<PushListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            log.warn("push listener of device {} failed", deviceId, e);
        }
    }

    /** Gives a push to the listener; false when it threw, for then the message must stay unacknowledged. */
    boolean push(PushMessage message) {
        try {
            listener.onPush(message);
            return true;
        } catch (RuntimeException e) {
            log.warn("listener failed on message {}; it stays unacknowledged", message.id(), e);
            return false;
        }
    }
}

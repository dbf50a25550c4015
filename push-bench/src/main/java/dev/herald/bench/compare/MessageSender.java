package dev.herald.bench.compare;

import java.time.Duration;

/**
 * Sends the comparison's messages to one target: Herald through push-api, mosquitto and NATS as a publisher
 * connection. Called from one thread; methods may block to apply the target's back-pressure (requests in
 * flight, unacknowledged publishes, a full socket buffer).
 */
interface MessageSender extends AutoCloseable {

    /** A message every connected device should get. */
    void broadcast(byte[] payload) throws InterruptedException;

    /** A message for one device. */
    void unicast(String deviceId, byte[] payload) throws InterruptedException;

    /**
     * The caller has nothing to send right now: write out what is buffered (Herald's sender posts a partial
     * batch once its oldest message has waited its linger time).
     */
    void idle() throws InterruptedException;

    /** Writes out everything buffered and waits, at most {@code timeout}, until the target has answered for all of it. */
    void drain(Duration timeout) throws InterruptedException;

    SendCounts counts();

    @Override
    void close();
}

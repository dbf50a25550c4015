package dev.herald.bench.device;

/** One logged-in simulated device, whatever transport carries it. */
public interface DeviceConnection {

    DeviceLogin login();

    boolean isOpen();

    /**
     * Sends a heartbeat if nothing was written for the interval the server asked for. Called about
     * once a second for every connection by one sweeper thread, so it must be cheap and thread-safe.
     */
    void keepAlive(long nowNanos);

    /** Closes politely (the protocol's goodbye, then the socket); returns at once. */
    void close();
}

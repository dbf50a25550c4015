package dev.herald.access.session;

import java.util.concurrent.CompletableFuture;

/**
 * Told by the {@link SessionRegistry} when a device comes online on this node or leaves it. Calls for
 * one (app, device) arrive in the order the registry changed, so an implementation that keeps that
 * order never deletes the route of a device that has already reconnected.
 */
public interface RouteRecorder {

    /** What {@link #online} completes with when the device has no token revocation. */
    long NOT_REVOKED = 0;

    /**
     * @return completes once the route has been written, with the device's token revocation time
     *         ({@code h:revoked:{app:device}}, epoch ms, or {@link #NOT_REVOKED}) read in the same round, so that
     *         a revoked token is refused at CONNECT without a round trip of its own; exceptionally when writing
     *         the route failed for good, so that the device is not told it is connected when pushes cannot find it
     */
    CompletableFuture<Long> online(String appId, String deviceId);

    void offline(String appId, String deviceId);
}

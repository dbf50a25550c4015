package dev.herald.access.session;

import java.util.concurrent.CompletableFuture;

/**
 * Told by the {@link SessionRegistry} when a device comes online on this node or leaves it. Calls for
 * one (app, device) arrive in the order the registry changed, so an implementation that keeps that
 * order never deletes the route of a device that has already reconnected.
 */
public interface RouteRecorder {

    /**
     * @return completes once the route has been written; exceptionally when writing it failed for good, so
     *         that the device is not told it is connected when pushes cannot find it
     */
    CompletableFuture<Void> online(String appId, String deviceId);

    void offline(String appId, String deviceId);
}

package dev.herald.dispatcher.route;

/** One device of one app: the unit a route is kept for. */
public record AppDevice(String appId, String deviceId) {
}

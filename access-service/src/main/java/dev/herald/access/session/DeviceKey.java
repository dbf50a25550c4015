package dev.herald.access.session;

/** One (app, device) pair: what a route key and a unicast target name. */
public record DeviceKey(String appId, String deviceId) {
}

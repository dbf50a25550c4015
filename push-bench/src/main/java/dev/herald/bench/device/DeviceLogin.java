package dev.herald.bench.device;

/**
 * What one simulated device presents to an access node: its index in the run (device ids are
 * {@code prefix + index}), its id, and one app login.
 */
public record DeviceLogin(int index, String deviceId, String appId, String token) {
}

package dev.herald.bench.device;

/**
 * What one simulated device presents to an access node: its index in the run (device ids are
 * {@code prefix + index}), its id, one app login, and the chat room it joins after the login ({@code ""} for
 * none; the room scenario).
 */
public record DeviceLogin(int index, String deviceId, String appId, String token, String room) {

    public DeviceLogin {
        room = room == null ? "" : room;
    }

    public DeviceLogin(int index, String deviceId, String appId, String token) {
        this(index, deviceId, appId, token, "");
    }
}

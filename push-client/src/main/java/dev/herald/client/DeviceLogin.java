package dev.herald.client;

import dev.herald.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a device says in each CONNECT: its id, its keep-alive, and its apps in the order the builder named
 * them, each with a token asked for anew (so it can be refreshed) and its current broadcast cursor.
 */
final class DeviceLogin {

    private final String deviceId;
    /** In the builder's order, the order of CONNECT. */
    private final List<String> apps;
    private final Map<String, Supplier<String>> tokens;
    private final long keepAliveMillis;
    private final BroadcastCursors cursors;

    DeviceLogin(String deviceId, Map<String, Supplier<String>> tokensInOrder, Duration keepAlive, BroadcastCursors cursors) {
        this.deviceId = deviceId;
        this.apps = List.copyOf(tokensInOrder.keySet());
        this.tokens = Map.copyOf(tokensInOrder);
        this.keepAliveMillis = keepAlive.toMillis();
        this.cursors = cursors;
    }

    String deviceId() {
        return deviceId;
    }

    /** The apps logged in to, in the order of CONNECT. */
    List<String> apps() {
        return apps;
    }

    boolean logsInTo(String appId) {
        return tokens.containsKey(appId);
    }

    /** The CONNECT of a new connection: tokens asked again, current cursors. */
    Frame.Connect connectFrame(int seq) {
        List<Frame.AppLogin> logins = new ArrayList<>(apps.size());
        for (String app : apps) {
            logins.add(new Frame.AppLogin(app, tokens.get(app).get(), cursors.get(app)));
        }
        int keepAliveSeconds = (int) Math.min(0xFFFF, Math.max(1, (keepAliveMillis + 999) / 1000));
        return new Frame.Connect(seq, keepAliveSeconds, deviceId, logins);
    }

    /** How often to PING: the server's heartbeat if it is shorter than our own keep-alive. */
    long heartbeatMillis(int serverHeartbeatSeconds) {
        return serverHeartbeatSeconds > 0 ? Math.min(serverHeartbeatSeconds * 1000L, keepAliveMillis) : keepAliveMillis;
    }
}

package dev.herald.access.session;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * The state a connection keeps after its handshake: who it is. One small immutable object per
 * connection, stored as a channel attribute; everything else lives in shared structures.
 */
public final class Session {

    static final AttributeKey<Session> KEY = AttributeKey.valueOf("herald.session");

    /** Marks a connection that was refused and is closing: its further frames are ignored. */
    static final Session REFUSED = new Session("", List.of());

    private final String deviceId;
    private final List<String> appIds;

    Session(String deviceId, List<String> appIds) {
        this.deviceId = deviceId;
        this.appIds = List.copyOf(appIds);
    }

    /** The session of a channel, or {@code null} before a successful handshake. */
    public static Session of(Channel channel) {
        Session session = channel.attr(KEY).get();
        return session == REFUSED ? null : session;
    }

    public String deviceId() {
        return deviceId;
    }

    /** The apps this connection logged in to, in CONNECT order. */
    public List<String> appIds() {
        return appIds;
    }

    @Override
    public String toString() {
        return "Session[device=" + deviceId + ", apps=" + appIds + "]";
    }
}

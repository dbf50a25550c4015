package dev.herald.access.session;

import dev.herald.core.app.TokenRevocation;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * The state a connection keeps after its handshake: who it is and how to reach it. One small object per
 * connection, kept by {@link ConnectionDeadlines} with the connection's deadlines (one channel attribute for
 * both); immutable but for its {@link BroadcastCursors}, which only the connection's event loop touches and
 * which exist only once it acknowledged a broadcast, and what it read while its CONNACK waited for its routes.
 * Everything else lives in shared structures.
 */
public final class Session {

    /** What a session read before its CONNACK, while that is nothing (shared, never added to). */
    private static final List<Object> NOTHING_READ = List.of();

    /** Marks a connection that was refused and is closing: its further frames are ignored. */
    static final Session REFUSED = new Session("", List.of(), new long[0], null);

    private final String deviceId;
    private final List<String> appIds;
    /** When the token of each app was issued (epoch ms, in {@link #appIds} order), for revocations. Never written. */
    private final long[] tokenIssuedAt;
    private final DeviceConnection connection;
    private BroadcastCursors broadcastCursors;
    /**
     * Until the CONNACK is written: what the connection read after its CONNECT, to be handled after the
     * CONNACK ({@link #NOTHING_READ} while empty); {@code null} once the CONNACK is written. Event loop only.
     */
    private List<Object> readBeforeConnAck = NOTHING_READ;

    Session(String deviceId, List<String> appIds, long[] tokenIssuedAt, DeviceConnection connection) {
        if (tokenIssuedAt.length != appIds.size()) {
            throw new IllegalArgumentException("one token issue time per app");
        }
        this.deviceId = deviceId;
        this.appIds = List.copyOf(appIds);
        this.tokenIssuedAt = tokenIssuedAt;
        this.connection = connection;
    }

    /**
     * Creates the session of a connection whose logins were accepted and attaches it to the channel, which ends
     * its handshake deadline; the connection's live pushes are held ({@link BroadcastHold}) until its CONNACK is
     * written. Call on the connection's event loop, before the connection is registered (and so can be pushed to).
     */
    public static Session open(DeviceConnection connection, String deviceId, List<String> appIds,
                               long[] tokenIssuedAt) {
        Session session = new Session(deviceId, appIds, tokenIssuedAt, connection);
        BroadcastHold.untilConnAck(connection);
        ConnectionDeadlines.session(connection.channel(), session, false);
        return session;
    }

    /** The session of a channel, or {@code null} before a successful handshake. */
    public static Session of(Channel channel) {
        Session session = ConnectionDeadlines.session(channel);
        return session == REFUSED ? null : session;
    }

    /** Whether the channel was refused and is closing. */
    public static boolean isRefused(Channel channel) {
        return ConnectionDeadlines.session(channel) == REFUSED;
    }

    /** Marks a channel that has not completed a handshake as refused; its further input is ignored. */
    public static void markRefused(Channel channel) {
        ConnectionDeadlines.session(channel, REFUSED, true);
    }

    public String deviceId() {
        return deviceId;
    }

    /** The apps this connection logged in to, in login order. */
    public List<String> appIds() {
        return appIds;
    }

    public DeviceConnection connection() {
        return connection;
    }

    /** Whether the token this connection logged in to {@code appId} with is revoked by a revocation at that time. */
    public boolean tokenRevokedBy(String appId, long revokedAtMillis) {
        int index = appIds.indexOf(appId);
        return index >= 0 && TokenRevocation.revokes(revokedAtMillis, tokenIssuedAt[index]);
    }

    /** The connection's broadcast cursors, created on first use; call on the connection's event loop only. */
    public BroadcastCursors broadcastCursors(long nowMillis) {
        if (broadcastCursors == null) {
            broadcastCursors = new BroadcastCursors(appIds.size(), nowMillis);
        }
        return broadcastCursors;
    }

    /** The connection's broadcast cursors, or {@code null} when it never acknowledged a broadcast here. */
    public BroadcastCursors broadcastCursorsIfAny() {
        return broadcastCursors;
    }

    /** Keeps {@code message} for after the CONNACK; {@code false} (handle it now) once the CONNACK is written. */
    public boolean deferUntilConnAck(Object message) {
        if (readBeforeConnAck == null) {
            return false;
        }
        if (readBeforeConnAck == NOTHING_READ) {
            readBeforeConnAck = new ArrayList<>(2);
        }
        readBeforeConnAck.add(message);
        return true;
    }

    /** Records that the CONNACK is written; returns what was read before it, in order. */
    public List<Object> connAcked() {
        List<Object> read = readBeforeConnAck == null ? NOTHING_READ : readBeforeConnAck;
        readBeforeConnAck = null;
        return read;
    }

    @Override
    public String toString() {
        return "Session[device=" + deviceId + ", apps=" + appIds + "]";
    }
}

package dev.herald.client;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A device's connection to a Herald access node over the native protocol ({@code docs/protocol.md}).
 *
 * <pre>{@code
 * PushClient client = PushClient.builder()
 *         .server("push.example.com", 7070)
 *         .deviceId("device-42")
 *         .app("demo", token)
 *         .listener(new PushListener() {
 *             public void onPush(PushMessage m) { System.out.println(m.text()); }
 *         })
 *         .build();
 * client.connect().join();
 * }</pre>
 *
 * <p>Once connected, the client keeps the connection: it sends PINGs, acknowledges pushes (auto-ACK,
 * batched per read), drops redeliveries it has seen, tracks each app's broadcast cursor, and reconnects
 * with exponential backoff when the connection drops, sending the cursors again so the server replays
 * what was missed. Given several access nodes ({@link Builder#servers}), each new attempt after a failed
 * one or a lost connection goes to the next node of the list, so the devices of a node that died move to
 * the others; any node serves any device. It does not reconnect after {@link #close()}, nor after the server refused or ended
 * the session for a reason a retry cannot fix: {@link ErrorCode#BAD_TOKEN}, {@link ErrorCode#TOKEN_EXPIRED},
 * {@link ErrorCode#UNKNOWN_APP}, {@link ErrorCode#TOO_MANY_APPS}, {@link ErrorCode#UNSUPPORTED_VERSION},
 * {@link ErrorCode#SESSION_REPLACED} (another connection took over this device id), and a CONNACK refusing
 * the CONNECT as {@link ErrorCode#MALFORMED_FRAME} (for example a device id of the wrong shape); call {@link #connect()}
 * again after fixing the cause (a token {@link Supplier} is asked again on every connect).
 *
 * <p>TLS: {@link Builder#tls()} (the JDK's trusted authorities) or {@link Builder#tlsTrusting} (a CA file)
 * encrypts the connection; the server's certificate must match the host name given to {@link Builder#server}.
 * The access node takes TLS and plaintext on the same port.
 *
 * <p>Threading: all methods are thread-safe. Each client lives on one event loop thread of its group;
 * the {@link PushListener} is called on that thread and must not block. Clients built without
 * {@link Builder#eventLoopGroup} share one group of daemon threads per JVM, so thousands of clients do
 * not mean thousands of threads.
 */
public final class PushClient implements AutoCloseable {

    // The client is a facade over its parts, one concern each: ConnectionLifecycle (the state machine,
    // with ReconnectPolicy, ServerRotation and the Dialer), DeviceLogin (what CONNECT says), PushReceiver
    // (dedup window, cursors, auto-ACK), RoomMemberships, and a ConnectionHandler per connection.
    private final DeviceLogin login;
    private final BroadcastCursors cursors;
    private final PushReceiver pushes;
    private final RoomMemberships rooms;
    private final ConnectionLifecycle connection;

    private PushClient(Builder b) {
        EventLoop loop = (b.group != null ? b.group : SharedEventLoops.group()).next();
        GuardedListener listener = new GuardedListener(b.listener, b.deviceId);
        BroadcastCursors cursors = new BroadcastCursors(b.tokens.keySet(), b.cursors);
        DeviceLogin login = new DeviceLogin(b.deviceId, b.tokens, b.keepAlive, cursors);
        PushReceiver pushes = new PushReceiver(listener, new RecentIds(b.dedupWindow), cursors, b.autoAck);
        RoomMemberships rooms = new RoomMemberships(listener, b.deviceId);
        ReconnectPolicy reconnect = b.reconnect
                ? ReconnectPolicy.withBackoff(new Backoff(b.initialBackoff, b.maxBackoff)) : ReconnectPolicy.never();
        Dialer dialer = new Dialer(loop, b.channelType, b.tls, b.maxFrameBytes, b.connectTimeout.toMillis());
        this.cursors = cursors;
        this.login = login;
        this.pushes = pushes;
        this.rooms = rooms;
        this.connection = new ConnectionLifecycle(loop, dialer, new ServerRotation(b.servers), reconnect, listener,
                b.deviceId, lifecycle -> new ConnectionHandler(lifecycle, login, pushes, rooms, listener));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects, or returns the connection in progress. Completes when the server accepts (CONNACK OK);
     * completes exceptionally with a {@link PushClientException} when the server refuses (its code), no
     * CONNACK comes within the connect timeout ({@link ErrorCode#HANDSHAKE_TIMEOUT}) or the network fails
     * (code {@code null}). When that first attempt fails for a reason a retry can fix and reconnecting is
     * enabled, the client keeps trying in the background ({@link PushListener#onConnected()} tells when it
     * succeeds); {@link #close()} stops it. Completes exceptionally with {@link IllegalStateException} once
     * the client is closed.
     */
    public CompletableFuture<Void> connect() {
        return connection.connect();
    }

    /**
     * Acknowledges messages when auto-ACK is off (harmless when it is on). Sent at once, as one frame, with
     * the broadcast cursors of the acknowledged broadcasts. When the client is not connected the ACK is
     * dropped: the server keeps the messages and sends them again, and the dedup window acknowledges them.
     */
    public void ack(PushMessage... messages) {
        List<PushMessage> list = List.of(messages);
        if (!list.isEmpty()) {
            connection.ack(list);
        }
    }

    /**
     * Sends an uplink message from this device to one of the apps it is logged in to. The future completes
     * with the message id the server assigned once the server stored the message durably (UPLINK_ACK); the
     * app's server then receives it on its callback URL. It completes exceptionally with a
     * {@link PushClientException} of code {@link ErrorCode#UPLINK_REJECTED} when the app is not one of this
     * client's apps, the payload is empty, the client is not connected, the server refused the uplink (an
     * ERROR answering it; its code and message are passed on), or the connection ended before the answer
     * came. In that last case the message may or may not have been stored (the cause carries the reason of
     * the disconnect); sending it again may deliver it twice, so give payloads an id of your own if that
     * matters. Nothing is queued while disconnected.
     *
     * <p>The future completes on the client's event loop: do not block in dependent stages.
     */
    public CompletableFuture<MessageId> uplink(String appId, byte[] payload) {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(payload, "payload");
        if (!login.logsInTo(appId)) {
            return CompletableFuture.failedFuture(new PushClientException(ErrorCode.UPLINK_REJECTED,
                    "app " + appId + " is not one of this client's apps " + login.apps()));
        }
        if (payload.length == 0) {
            return CompletableFuture.failedFuture(new PushClientException(ErrorCode.UPLINK_REJECTED, "the payload is empty"));
        }
        byte[] copy = payload.clone();
        return connection.request(ErrorCode.UPLINK_REJECTED, (handler, result) -> handler.uplink(appId, copy, result));
    }

    /** {@link #join(String, String, int)} with as much history as the server sends (its limit, 20 by default). */
    public CompletableFuture<RoomJoined> join(String appId, String roomId) {
        return join(appId, roomId, 0xFFFF);
    }

    /**
     * Joins a chat room of one of this client's apps. Completes when the server added the device (its history, at
     * most {@code historyLimit} messages, then follows on the listener's {@link PushListener#onRoomMessage}), or
     * exceptionally with a {@link PushClientException}: {@link ErrorCode#ROOM_REJECTED} (not connected, malformed
     * room id, app not logged in, too many rooms), {@link ErrorCode#ROOM_KICKED} (banned after a kick). Membership
     * belongs to the connection: after a reconnect the client joins its rooms again by itself.
     */
    public CompletableFuture<RoomJoined> join(String appId, String roomId, int historyLimit) {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(roomId, "roomId");
        if (historyLimit < 0 || historyLimit > 0xFFFF) {
            throw new IllegalArgumentException("historyLimit must be 0..65535: " + historyLimit);
        }
        return roomRequest(seq -> new Frame.RoomJoin(seq, appId, roomId, historyLimit)).thenApply(ack -> {
            rooms.joined(appId, roomId, historyLimit);
            return new RoomJoined(appId, roomId, ack.roomSeq(), ack.memberCount());
        });
    }

    /** Leaves a room; completes when the server confirmed it (exceptionally {@link ErrorCode#NOT_IN_ROOM}). */
    public CompletableFuture<Void> leave(String appId, String roomId) {
        rooms.left(appId, roomId);
        return roomRequest(seq -> new Frame.RoomLeave(seq, appId, roomId)).thenApply(ack -> null);
    }

    /**
     * Sends a message to a room this device joined. Completes with its id and place in the room's order once the
     * room ordered it (the message also arrives on the listener, as at every member); exceptionally with a
     * {@link PushClientException} of {@link ErrorCode#ROOM_RATE_LIMITED}, {@link ErrorCode#ROOM_MUTED},
     * {@link ErrorCode#NOT_IN_ROOM} or {@link ErrorCode#ROOM_REJECTED}. Nothing is queued while disconnected.
     * The future completes on the client's event loop: do not block in dependent stages.
     */
    public CompletableFuture<RoomSent> sendToRoom(String appId, String roomId, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        byte[] copy = payload.clone();
        return roomRequest(seq -> new Frame.RoomSend(seq, appId, roomId, copy))
                .thenApply(ack -> new RoomSent(ack.messageId(), ack.roomSeq()));
    }

    private CompletableFuture<Frame.RoomAck> roomRequest(IntFunction<Frame> request) {
        return connection.request(ErrorCode.ROOM_REJECTED, (handler, result) -> handler.roomRequest(request, result));
    }

    /**
     * Says goodbye to the server (DISCONNECT with {@link ErrorCode#CLIENT_DISCONNECT}), closes the connection
     * and stops reconnecting. Waits up to the connect timeout for the connection to close, unless called on
     * the client's event loop (a listener). Idempotent. Does not shut down an event loop group passed to the
     * builder.
     */
    @Override
    public void close() {
        connection.close();
    }

    /** True while a connection is open and accepted by the server. */
    public boolean isConnected() {
        return connection.isConnected();
    }

    /** The highest broadcast sequence received for the app (or the initial cursor), sent in every CONNECT. */
    public long broadcastCursor(String appId) {
        return cursors.get(appId);
    }

    public String deviceId() {
        return login.deviceId();
    }

    /**
     * How many pushes were redeliveries of a message the listener already had (within the dedup window)
     * and were acknowledged again without calling it. Delivery is at-least-once; this counts the "more".
     */
    public long duplicatesDropped() {
        return pushes.duplicatesDropped();
    }

    /** The access node of the current connection, or of the next attempt while disconnected. */
    public InetSocketAddress server() {
        return connection.server();
    }

    /** Configures a {@link PushClient}; {@link #server}, {@link #deviceId} and one {@link #app} are required. */
    public static final class Builder {

        private List<InetSocketAddress> servers = List.of();
        private String deviceId;
        private final Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
        private final Map<String, Long> cursors = new LinkedHashMap<>();
        private PushListener listener = new PushListener() { };
        private boolean autoAck = true;
        private Duration keepAlive = Duration.ofSeconds(30);
        private boolean reconnect = true;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private int dedupWindow = 4096;
        private EventLoopGroup group;
        private Class<? extends SocketChannel> channelType = NioSocketChannel.class;
        private int maxFrameBytes = FrameCodec.DEFAULT_MAX_FRAME_BYTES;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private SslContext tls;

        private Builder() {
        }

        /** The access node's native protocol address (port 7070 by default on the server). */
        public Builder server(String host, int port) {
            return servers(List.of(InetSocketAddress.createUnresolved(Objects.requireNonNull(host, "host"), checkPort(port))));
        }

        /**
         * Several access nodes' native protocol addresses. The client connects to the first; after a failed
         * attempt or a lost connection, its next attempt goes to the next address (round robin), so when a
         * node dies its devices reconnect to the others. Give each device the list in its own order (a
         * rotation, or shuffled) to spread the first connections. Replaces an earlier {@link #server}.
         */
        public Builder servers(List<InetSocketAddress> servers) {
            Objects.requireNonNull(servers, "servers");
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("at least one server is required");
            }
            for (InetSocketAddress address : servers) {
                checkPort(Objects.requireNonNull(address, "server address").getPort());
            }
            this.servers = List.copyOf(servers);
            return this;
        }

        private static int checkPort(int port) {
            if (port <= 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
            return port;
        }

        public Builder deviceId(String deviceId) {
            this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
            return this;
        }

        /** Logs in to an app with a fixed device token. */
        public Builder app(String appId, String token) {
            Objects.requireNonNull(token, "token");
            return app(appId, () -> token);
        }

        /**
         * Logs in to an app with a token asked for on every (re)connect, so it can be refreshed. The supplier
         * is called on the client's event loop: return a token at hand, do not fetch one there.
         */
        public Builder app(String appId, Supplier<String> token) {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(token, "token");
            if (tokens.putIfAbsent(appId, token) != null) {
                throw new IllegalArgumentException("app " + appId + " given twice");
            }
            return this;
        }

        /** The broadcast cursor to start from (for example persisted by the app); 0 by default. */
        public Builder broadcastCursor(String appId, long cursor) {
            if (cursor < 0) {
                throw new IllegalArgumentException("cursor must not be negative: " + cursor);
            }
            cursors.put(Objects.requireNonNull(appId, "appId"), cursor);
            return this;
        }

        /** Called on the client's event loop; see {@link PushListener}. */
        public Builder listener(PushListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** When off, acknowledge with {@link PushClient#ack}; default on. */
        public Builder autoAck(boolean autoAck) {
            this.autoAck = autoAck;
            return this;
        }

        /** Longest silence before the client PINGs, unless the server announces a shorter heartbeat; default 30 s. */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = positive(keepAlive, "keepAlive");
            return this;
        }

        /** Reconnect with exponential backoff between {@code initial} and {@code max}, jittered; default 0.5 s to 30 s. */
        public Builder reconnect(Duration initialBackoff, Duration maxBackoff) {
            new Backoff(initialBackoff, maxBackoff); // validates
            this.reconnect = true;
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** Turns reconnecting on (with the current backoff) or off. */
        public Builder reconnect(boolean enabled) {
            this.reconnect = enabled;
            return this;
        }

        /** How many recent message ids are remembered to drop redeliveries; default 4096, 0 disables. */
        public Builder dedupWindow(int ids) {
            if (ids < 0) {
                throw new IllegalArgumentException("dedupWindow must not be negative: " + ids);
            }
            this.dedupWindow = ids;
            return this;
        }

        /**
         * The group whose event loops run the client; it must serve {@link #channelType} (NIO by default).
         * The client never shuts it down. Default: one shared daemon group for all clients in the JVM.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** The socket channel class, matching the event loop group (e.g. epoll); default {@link NioSocketChannel}. */
        public Builder channelType(Class<? extends SocketChannel> channelType) {
            this.channelType = Objects.requireNonNull(channelType, "channelType");
            return this;
        }

        /** Largest frame accepted from the server, length prefix included; default 64 KiB. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < FrameCodec.LENGTH_FIELD_BYTES + FrameCodec.HEADER_BYTES) {
                throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** Time allowed for TCP connect plus CONNACK; default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * TLS to the access node, trusting the JDK's default certificate authorities; the server's
         * certificate must name the host given to {@link #server}. The node takes TLS on its one device port.
         */
        public Builder tls() {
            return tls(ClientTls.context(SslContextBuilder.forClient()));
        }

        /**
         * TLS to the access node, trusting the certificate authorities in a PEM file (a private CA, as
         * {@code herald.sh demo} makes); host name verification stays on.
         */
        public Builder tlsTrusting(File caCertificates) {
            Objects.requireNonNull(caCertificates, "caCertificates");
            return tls(ClientTls.context(SslContextBuilder.forClient().trustManager(caCertificates)));
        }

        /**
         * TLS with a context of the caller's (client certificates, a trust store, pinning). Host name
         * verification is the context's: Netty's client contexts verify the host by default.
         */
        public Builder tls(SslContext context) {
            Objects.requireNonNull(context, "context");
            if (!context.isClient()) {
                throw new IllegalArgumentException("a client SslContext is required");
            }
            this.tls = context;
            return this;
        }

        public PushClient build() {
            if (servers.isEmpty()) {
                throw new IllegalStateException("server(host, port) or servers(addresses) is required");
            }
            if (deviceId == null || deviceId.isEmpty()) {
                throw new IllegalStateException("deviceId is required");
            }
            if (tokens.isEmpty() || tokens.size() > FrameCodec.MAX_APPS_PER_CONNECT) {
                throw new IllegalStateException("1.." + FrameCodec.MAX_APPS_PER_CONNECT + " apps are required, got " + tokens.size());
            }
            for (String app : cursors.keySet()) {
                if (!tokens.containsKey(app)) {
                    throw new IllegalStateException("broadcast cursor for app " + app + " which is not logged in to");
                }
            }
            return new PushClient(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}

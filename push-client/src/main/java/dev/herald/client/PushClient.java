package dev.herald.client;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.FrameDecoder;
import dev.herald.protocol.FrameEncoder;
import dev.herald.protocol.MessageId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.File;
import javax.net.ssl.SSLException;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger log = LoggerFactory.getLogger(PushClient.class);

    /** Reasons after which a reconnect would be refused the same way. */
    private static final Set<ErrorCode> PERMANENT = EnumSet.of(ErrorCode.BAD_TOKEN, ErrorCode.TOKEN_EXPIRED,
            ErrorCode.UNKNOWN_APP, ErrorCode.TOO_MANY_APPS, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.SESSION_REPLACED);

    private enum State { IDLE, CONNECTING, CONNECTED, BACKING_OFF, CLOSED }

    /** Access nodes, tried in turn; never empty. */
    private final List<InetSocketAddress> servers;
    private final String deviceId;
    private final Map<String, Supplier<String>> tokens;
    /** Apps in the order the builder named them, the order of CONNECT. */
    private final List<String> appOrder;
    private final PushListener listener;
    private final boolean autoAck;
    private final long keepAliveMillis;
    private final Backoff backoff;
    private final int maxFrameBytes;
    private final long connectTimeoutMillis;
    private final Class<? extends SocketChannel> channelType;
    private final EventLoop loop;

    // Read from any thread.
    private final Map<String, Long> cursors;
    /** Rooms joined (key app/room → history limit asked), joined again after a reconnect. */
    private final Map<String, Integer> rooms = new ConcurrentHashMap<>();
    private final AtomicLong duplicatesDropped = new AtomicLong();
    private volatile boolean connected;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // Confined to the event loop.
    private final RecentIds recentIds;
    /** Newest roomSeq passed to the listener per room (app/room), so a rejoin's history is not passed twice. */
    private final Map<String, Long> roomSeqs = new java.util.HashMap<>();
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
    private State state = State.IDLE;
    private Channel channel;
    private ConnectionHandler handler;
    private ScheduledFuture<?> attemptTimeout;
    private ScheduledFuture<?> reconnectTimer;
    private int failedAttempts;
    /** Index in {@link #servers} of the node of the current (or next) attempt. */
    private int serverIndex;
    /** onConnected was called for the current connection, so its end is reported. */
    private boolean announced;

    /** TLS to the access node, {@code null} for plaintext. */
    private final SslContext tls;

    private PushClient(Builder b) {
        this.servers = List.copyOf(b.servers);
        this.deviceId = b.deviceId;
        this.tokens = Map.copyOf(b.tokens);
        this.listener = b.listener;
        this.autoAck = b.autoAck;
        this.keepAliveMillis = b.keepAlive.toMillis();
        this.backoff = b.reconnect ? new Backoff(b.initialBackoff, b.maxBackoff) : null;
        this.maxFrameBytes = b.maxFrameBytes;
        this.connectTimeoutMillis = b.connectTimeout.toMillis();
        this.channelType = b.channelType;
        this.tls = b.tls;
        this.loop = (b.group != null ? b.group : SharedEventLoops.group()).next();
        this.recentIds = new RecentIds(b.dedupWindow);
        this.cursors = new ConcurrentHashMap<>();
        for (String app : b.tokens.keySet()) {
            cursors.put(app, b.cursors.getOrDefault(app, 0L));
        }
        this.appOrder = List.copyOf(b.tokens.keySet());
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
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            loop.execute(() -> connectOnLoop(result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the client's event loop group is shut down", e));
        }
        return result;
    }

    private void connectOnLoop(CompletableFuture<Void> result) {
        switch (state) {
            case CLOSED -> result.completeExceptionally(new IllegalStateException("the client is closed"));
            case CONNECTED -> result.complete(null);
            case CONNECTING -> waiters.add(result);
            case IDLE, BACKING_OFF -> {
                cancel(reconnectTimer);
                waiters.add(result);
                startAttempt();
            }
        }
    }

    private void startAttempt() {
        state = State.CONNECTING;
        ConnectionHandler h = new ConnectionHandler(this);
        InetSocketAddress target = server();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // The host name goes into SNI and is what the server's certificate is verified against.
                            SslHandler ssl = tls.newHandler(ch.alloc(), target.getHostString(), target.getPort());
                            ssl.setHandshakeTimeoutMillis(0); // the attempt's own timeout covers the handshake
                            ch.pipeline().addLast(ssl);
                        }
                        ch.pipeline().addLast(new FrameDecoder(maxFrameBytes), FrameEncoder.INSTANCE, h);
                    }
                });
        ChannelFuture connecting = bootstrap.connect(target);
        Channel ch = connecting.channel();
        channel = ch;
        handler = h;
        attemptTimeout = loop.schedule(() -> h.handshakeTimedOut(connectTimeoutMillis), connectTimeoutMillis, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> connectionEnded(ch, h, connecting));
    }

    /** Called by the handler on CONNACK OK. */
    void handshakeSucceeded(ConnectionHandler h) {
        if (h != handler || state != State.CONNECTING) {
            return;
        }
        cancel(attemptTimeout);
        state = State.CONNECTED;
        connected = true;
        failedAttempts = 0;
        announced = true;
        log.debug("device {} connected to {}", deviceId, describe(server()));
        notifyListener(l -> l.onConnected());
        completeWaiters(null);
        rejoinRooms(h);
    }

    /** Joins again, on a new connection, the rooms the device was in. */
    private void rejoinRooms(ConnectionHandler h) {
        rooms.forEach((key, historyLimit) -> {
            int slash = key.indexOf('/');
            String appId = key.substring(0, slash);
            String roomId = key.substring(slash + 1);
            CompletableFuture<Frame.RoomAck> answer = new CompletableFuture<>();
            h.roomRequest(seq -> new Frame.RoomJoin(seq, appId, roomId, historyLimit), answer);
            answer.whenComplete((ack, error) -> {
                if (error instanceof PushClientException e && e.code() == ErrorCode.ROOM_KICKED) {
                    rooms.remove(key);
                    notifyListener(l -> l.onRoomRemoved(appId, roomId, ErrorCode.ROOM_KICKED));
                } else if (error != null) {
                    log.debug("device {} could not join room {} again: {}", deviceId, key, error.toString());
                }
            });
        });
    }

    private void connectionEnded(Channel ch, ConnectionHandler h, ChannelFuture connecting) {
        if (ch != channel) {
            return;
        }
        channel = null;
        handler = null;
        cancel(attemptTimeout);
        connected = false;
        boolean wasConnected = announced;
        announced = false;
        ErrorCode reason = h.closeReason();
        Throwable cause = h.failure() != null ? h.failure() : connecting.cause();
        String message = h.closeMessage() != null ? h.closeMessage()
                : connecting.cause() != null ? "cannot connect to " + describe(server()) + ": " + connecting.cause().getMessage()
                : wasConnected ? "connection closed" : "connection closed before CONNACK";
        h.failUplinks(new PushClientException(reason, message, cause));
        h.failRoomRequests(new PushClientException(reason, message, cause));

        if (state == State.CLOSED) {
            completeWaiters(new PushClientException(ErrorCode.CLIENT_DISCONNECT, "the client was closed"));
            if (wasConnected) {
                notifyListener(l -> l.onDisconnected(ErrorCode.CLIENT_DISCONNECT, "closed by the client"));
            }
            closed.complete(null);
            return;
        }
        if (!wasConnected) {
            completeWaiters(new PushClientException(reason, message, cause));
        }
        if (wasConnected || h.closedByServer()) {
            notifyListener(l -> l.onDisconnected(reason, message));
        }
        // A CONNECT refused as malformed (device id shape, an app listed twice) would be refused again.
        if (h.closedByServer() && PERMANENT.contains(reason) || h.refused() && reason == ErrorCode.MALFORMED_FRAME) {
            log.info("device {}: {} refused or ended the session ({} {}); not reconnecting", deviceId, describe(server()), reason, message);
            state = State.IDLE;
            return;
        }
        if (backoff == null) {
            log.debug("device {} disconnected from {} ({} {}); reconnecting is off", deviceId, describe(server()), reason, message);
            state = State.IDLE;
            return;
        }
        long delay = backoff.delayMillis(failedAttempts++);
        String left = describe(server());
        // The node may be gone for good (killed, partitioned): the next attempt goes to the next one.
        serverIndex = (serverIndex + 1) % servers.size();
        log.debug("device {} disconnected from {} ({} {}); reconnecting to {} in {} ms", deviceId, left, reason, message,
                describe(server()), delay);
        state = State.BACKING_OFF;
        reconnectTimer = loop.schedule(() -> {
            if (state == State.BACKING_OFF) {
                startAttempt();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Called by the handler for every PUSH on an accepted connection. */
    void handlePush(Frame.Push push, AckBatch acks) {
        MessageId id = push.messageId();
        if (recentIds.contains(id)) {
            // Seen and handled before: the server did not get (or lost) our ACK. Confirm again, quietly.
            duplicatesDropped.incrementAndGet();
            acks.add(id);
            return;
        }
        PushMessage message = new PushMessage(id, push.appId(), push.broadcastSeq(), push.broadcast(), push.replay(), push.payload());
        try {
            listener.onPush(message);
        } catch (RuntimeException e) {
            log.warn("listener failed on message {}; it stays unacknowledged", id, e);
            return;
        }
        recentIds.add(id);
        boolean cursorMoved = false;
        if (push.broadcast()) {
            long before = cursors.getOrDefault(push.appId(), 0L);
            if (push.broadcastSeq() > before) {
                cursors.put(push.appId(), push.broadcastSeq());
                cursorMoved = true;
            }
        }
        if (autoAck) {
            acks.add(id);
            if (cursorMoved) {
                acks.cursor(push.appId(), push.broadcastSeq());
            }
        }
    }

    /** Called by the handler for every ROOM_MESSAGE on an accepted connection. */
    void handleRoomMessage(Frame.RoomMessage frame) {
        String key = frame.appId() + "/" + frame.roomId();
        Long last = roomSeqs.get(key);
        if (last != null && frame.roomSeq() <= last) {
            return;
        }
        roomSeqs.put(key, frame.roomSeq());
        RoomMessage message = new RoomMessage(frame.messageId(), frame.appId(), frame.roomId(), frame.roomSeq(),
                frame.senderId(), frame.sentAt(), frame.history(), frame.payload());
        notifyListener(l -> l.onRoomMessage(message));
    }

    /** Called by the handler when the server removed the device from a room. */
    void roomRemoved(String appId, String roomId, ErrorCode reason) {
        rooms.remove(appId + "/" + roomId);
        notifyListener(l -> l.onRoomRemoved(appId, roomId, reason));
    }

    /** Called by the handler for every ERROR frame. */
    void notifyError(ErrorCode code, String message) {
        notifyListener(l -> l.onError(code, message));
    }

    /** The CONNECT of a new connection: tokens asked again, current cursors. */
    Frame.Connect connectFrame(int seq) {
        List<Frame.AppLogin> apps = new ArrayList<>(appOrder.size());
        for (String app : appOrder) {
            apps.add(new Frame.AppLogin(app, tokens.get(app).get(), cursors.getOrDefault(app, 0L)));
        }
        int keepAliveSeconds = (int) Math.min(0xFFFF, Math.max(1, (keepAliveMillis + 999) / 1000));
        return new Frame.Connect(seq, keepAliveSeconds, deviceId, apps);
    }

    /** How often to PING: the server's heartbeat if it is shorter than our own keep-alive. */
    long heartbeatMillis(int serverHeartbeatSeconds) {
        return serverHeartbeatSeconds > 0 ? Math.min(serverHeartbeatSeconds * 1000L, keepAliveMillis) : keepAliveMillis;
    }

    /**
     * Acknowledges messages when auto-ACK is off (harmless when it is on). Sent at once, as one frame, with
     * the broadcast cursors of the acknowledged broadcasts. When the client is not connected the ACK is
     * dropped: the server keeps the messages and sends them again, and the dedup window acknowledges them.
     */
    public void ack(PushMessage... messages) {
        List<PushMessage> list = List.of(messages);
        if (list.isEmpty()) {
            return;
        }
        try {
            loop.execute(() -> {
                if (handler != null) {
                    handler.ack(list);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("ACK dropped: event loop shut down");
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
        CompletableFuture<MessageId> result = new CompletableFuture<>();
        if (!tokens.containsKey(appId)) {
            result.completeExceptionally(new PushClientException(ErrorCode.UPLINK_REJECTED,
                    "app " + appId + " is not one of this client's apps " + appOrder));
            return result;
        }
        if (payload.length == 0) {
            result.completeExceptionally(new PushClientException(ErrorCode.UPLINK_REJECTED, "the payload is empty"));
            return result;
        }
        byte[] copy = payload.clone();
        try {
            loop.execute(() -> {
                if (handler == null || !handler.isConnected()) {
                    result.completeExceptionally(new PushClientException(ErrorCode.UPLINK_REJECTED, "not connected"));
                } else {
                    handler.uplink(appId, copy, result);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new PushClientException(ErrorCode.UPLINK_REJECTED,
                    "the client's event loop group is shut down", e));
        }
        return result;
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
            rooms.put(appId + "/" + roomId, historyLimit);
            return new RoomJoined(appId, roomId, ack.roomSeq(), ack.memberCount());
        });
    }

    /** Leaves a room; completes when the server confirmed it (exceptionally {@link ErrorCode#NOT_IN_ROOM}). */
    public CompletableFuture<Void> leave(String appId, String roomId) {
        rooms.remove(appId + "/" + roomId);
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

    private CompletableFuture<Frame.RoomAck> roomRequest(java.util.function.IntFunction<Frame> request) {
        CompletableFuture<Frame.RoomAck> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                if (handler == null || !handler.isConnected()) {
                    result.completeExceptionally(new PushClientException(ErrorCode.ROOM_REJECTED, "not connected"));
                } else {
                    handler.roomRequest(request, result);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new PushClientException(ErrorCode.ROOM_REJECTED,
                    "the client's event loop group is shut down", e));
        }
        return result;
    }

    /**
     * Says goodbye to the server (DISCONNECT with {@link ErrorCode#CLIENT_DISCONNECT}), closes the connection
     * and stops reconnecting. Waits up to the connect timeout for the connection to close, unless called on
     * the client's event loop (a listener). Idempotent. Does not shut down an event loop group passed to the
     * builder.
     */
    @Override
    public void close() {
        try {
            loop.execute(this::closeOnLoop);
        } catch (RejectedExecutionException e) {
            connected = false;
            closed.complete(null);
            return;
        }
        if (loop.inEventLoop()) {
            return;
        }
        try {
            closed.get(connectTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.warn("device {}: connection not closed within {} ms", deviceId, connectTimeoutMillis);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void closeOnLoop() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        connected = false;
        cancel(reconnectTimer);
        if (channel == null) {
            completeWaiters(new PushClientException(ErrorCode.CLIENT_DISCONNECT, "the client was closed"));
            closed.complete(null);
        } else if (channel.isActive()) {
            handler.disconnect();
        } else {
            channel.close();
        }
    }

    /** True while a connection is open and accepted by the server. */
    public boolean isConnected() {
        return connected;
    }

    /** The highest broadcast sequence received for the app (or the initial cursor), sent in every CONNECT. */
    public long broadcastCursor(String appId) {
        return cursors.getOrDefault(appId, 0L);
    }

    public String deviceId() {
        return deviceId;
    }

    /**
     * How many pushes were redeliveries of a message the listener already had (within the dedup window)
     * and were acknowledged again without calling it. Delivery is at-least-once; this counts the "more".
     */
    public long duplicatesDropped() {
        return duplicatesDropped.get();
    }

    /** The access node of the current connection, or of the next attempt while disconnected. */
    public InetSocketAddress server() {
        return servers.get(serverIndex);
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private void completeWaiters(Throwable failure) {
        if (waiters.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> done = new ArrayList<>(waiters);
        waiters.clear();
        for (CompletableFuture<Void> waiter : done) {
            if (failure == null) {
                waiter.complete(null);
            } else {
                waiter.completeExceptionally(failure);
            }
        }
    }

    private void notifyListener(Consumer<PushListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            log.warn("push listener of device {} failed", deviceId, e);
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
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
            return tls(clientContext(SslContextBuilder.forClient()));
        }

        /**
         * TLS to the access node, trusting the certificate authorities in a PEM file (a private CA, as
         * {@code herald.sh demo} makes); host name verification stays on.
         */
        public Builder tlsTrusting(File caCertificates) {
            Objects.requireNonNull(caCertificates, "caCertificates");
            return tls(clientContext(SslContextBuilder.forClient().trustManager(caCertificates)));
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

        private static SslContext clientContext(SslContextBuilder builder) {
            try {
                return builder.protocols("TLSv1.3", "TLSv1.2").endpointIdentificationAlgorithm("HTTPS").build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
            }
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

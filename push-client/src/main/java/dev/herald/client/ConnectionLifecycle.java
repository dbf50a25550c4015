package dev.herald.client;

import dev.herald.protocol.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection state machine of one {@link PushClient}: IDLE → CONNECTING → CONNECTED; when a connection
 * ends or an attempt fails, BACKING_OFF → CONNECTING (to the next node) as the {@link ReconnectPolicy}
 * allows, else IDLE until {@link #connect()}; CLOSED for good after {@link #close()}. Each attempt gets a
 * new {@link ConnectionHandler}, which speaks the protocol and reports back here. State is confined to
 * the event loop; {@link #isConnected()} and {@link #server()} are read from any thread.
 */
final class ConnectionLifecycle {

    // Under PushClient's name, where the SDK's users already look for (and configure) its log.
    private static final Logger log = LoggerFactory.getLogger(PushClient.class);

    private enum State { IDLE, CONNECTING, CONNECTED, BACKING_OFF, CLOSED }

    private final EventLoop loop;
    private final Dialer dialer;
    private final ServerRotation servers;
    private final ReconnectPolicy reconnect;
    private final GuardedListener listener;
    private final String deviceId;
    /** Makes the handler of each new connection; it reports back to this lifecycle. */
    private final Function<ConnectionLifecycle, ConnectionHandler> handlers;

    // Read from any thread.
    private volatile boolean connected;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // Confined to the event loop.
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
    private State state = State.IDLE;
    private Channel channel;
    private ConnectionHandler handler;
    private ScheduledFuture<?> attemptTimeout;
    private ScheduledFuture<?> reconnectTimer;
    /** onConnected was called for the current connection, so its end is reported. */
    private boolean announced;

    ConnectionLifecycle(EventLoop loop, Dialer dialer, ServerRotation servers, ReconnectPolicy reconnect,
                        GuardedListener listener, String deviceId, Function<ConnectionLifecycle, ConnectionHandler> handlers) {
        this.loop = loop;
        this.dialer = dialer;
        this.servers = servers;
        this.reconnect = reconnect;
        this.listener = listener;
        this.deviceId = deviceId;
        this.handlers = handlers;
    }

    /** See {@link PushClient#connect()}. */
    CompletableFuture<Void> connect() {
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
        ConnectionHandler h = handlers.apply(this);
        ChannelFuture connecting = dialer.dial(servers.current(), h);
        Channel ch = connecting.channel();
        channel = ch;
        handler = h;
        long timeoutMillis = dialer.connectTimeoutMillis();
        attemptTimeout = loop.schedule(() -> h.handshakeTimedOut(timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> connectionEnded(ch, h, connecting));
    }

    /**
     * Called by the handler on CONNACK OK. True when its connection is the current one and now counts as
     * accepted; false for a connection this lifecycle already gave up on.
     */
    boolean handshakeSucceeded(ConnectionHandler h) {
        if (h != handler || state != State.CONNECTING) {
            return false;
        }
        cancel(attemptTimeout);
        state = State.CONNECTED;
        connected = true;
        reconnect.connected();
        announced = true;
        log.debug("device {} connected to {}", deviceId, ServerRotation.describe(servers.current()));
        listener.call(l -> l.onConnected());
        completeWaiters(null);
        return true;
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
                : connecting.cause() != null ? "cannot connect to " + ServerRotation.describe(servers.current()) + ": "
                        + connecting.cause().getMessage()
                : wasConnected ? "connection closed" : "connection closed before CONNACK";
        h.failUplinks(new PushClientException(reason, message, cause));
        h.failRoomRequests(new PushClientException(reason, message, cause));

        if (state == State.CLOSED) {
            completeWaiters(new PushClientException(ErrorCode.CLIENT_DISCONNECT, "the client was closed"));
            if (wasConnected) {
                listener.call(l -> l.onDisconnected(ErrorCode.CLIENT_DISCONNECT, "closed by the client"));
            }
            closed.complete(null);
            return;
        }
        if (!wasConnected) {
            completeWaiters(new PushClientException(reason, message, cause));
        }
        if (wasConnected || h.closedByServer()) {
            listener.call(l -> l.onDisconnected(reason, message));
        }
        String left = ServerRotation.describe(servers.current());
        if (ReconnectPolicy.retryWouldBeRefused(reason, h.closedByServer(), h.refused())) {
            log.info("device {}: {} refused or ended the session ({} {}); not reconnecting", deviceId, left, reason, message);
            state = State.IDLE;
            return;
        }
        if (!reconnect.enabled()) {
            log.debug("device {} disconnected from {} ({} {}); reconnecting is off", deviceId, left, reason, message);
            state = State.IDLE;
            return;
        }
        long delay = reconnect.nextDelayMillis();
        // The node may be gone for good (killed, partitioned): the next attempt goes to the next one.
        InetSocketAddress next = servers.next();
        log.debug("device {} disconnected from {} ({} {}); reconnecting to {} in {} ms", deviceId, left, reason, message,
                ServerRotation.describe(next), delay);
        state = State.BACKING_OFF;
        reconnectTimer = loop.schedule(() -> {
            if (state == State.BACKING_OFF) {
                startAttempt();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Hands acknowledgements to the current connection's handler, which drops them when not connected. */
    void ack(List<PushMessage> messages) {
        try {
            loop.execute(() -> {
                if (handler != null) {
                    handler.ack(messages);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("ACK dropped: event loop shut down");
        }
    }

    /**
     * Sends a request on the accepted connection: {@code send} writes it and completes the future with the
     * answer. Without an accepted connection the future fails at once with {@code refusal}; nothing is queued.
     */
    <T> CompletableFuture<T> request(ErrorCode refusal, BiConsumer<ConnectionHandler, CompletableFuture<T>> send) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                if (handler == null || !handler.isConnected()) {
                    result.completeExceptionally(new PushClientException(refusal, "not connected"));
                } else {
                    send.accept(handler, result);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new PushClientException(refusal, "the client's event loop group is shut down", e));
        }
        return result;
    }

    /** See {@link PushClient#close()}. */
    void close() {
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
        long timeoutMillis = dialer.connectTimeoutMillis();
        try {
            closed.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.warn("device {}: connection not closed within {} ms", deviceId, timeoutMillis);
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
    boolean isConnected() {
        return connected;
    }

    /** The access node of the current connection, or of the next attempt while disconnected. */
    InetSocketAddress server() {
        return servers.current();
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

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}

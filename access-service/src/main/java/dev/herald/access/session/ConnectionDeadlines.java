package dev.herald.access.session;

import dev.herald.access.AccessProperties;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The handshake deadline and the heartbeat of every connection, kept without a timer or a handler per
 * connection: each event loop runs one periodic sweep over its own connections. A connection costs one
 * small {@link Watch} (its only channel attribute, which also holds the {@link Session} and, during a backlog
 * replay, the {@link BroadcastHold}; linked into its
 * loop's list), not an {@code IdleStateHandler} with its scheduled task plus a handshake-timeout handler
 * with another.
 *
 * <ul>
 *   <li>No session by {@code handshake-timeout}: the channel is marked refused and the {@link HandshakeTimeout}
 *       ends it in its transport's terms (the transports are not known here; the server's implementation
 *       writes DISCONNECT HANDSHAKE_TIMEOUT to a connection that speaks native frames and closes others
 *       silently).</li>
 *   <li>No message read for the idle timeout (2 × heartbeat; an MQTT connection sets 1.5 × its
 *       keep-alive with {@link #idleTimeout}): the transport's handler receives
 *       {@link IdleStateEvent#READER_IDLE_STATE_EVENT}, as it did from Netty's idle handler, and ends the
 *       connection in its protocol's terms.</li>
 * </ul>
 *
 * A message is what the transport's session handler receives after decoding, as before; the handlers
 * report it with {@link #read}. A deadline is noticed by the first sweep after it passed, so a connection
 * is closed up to one {@link #sweepPeriod} (a quarter of the shortest timeout, at most 250 ms) late. Closed connections
 * leave the list at the next sweep: no close listener per connection. Time is the event loop's
 * {@link io.netty.util.concurrent.Ticker} (the system clock on a server), the clock its scheduled sweep
 * runs on too, so a test can move both with {@code EmbeddedChannel.advanceTimeBy}.
 */
@Component
public final class ConnectionDeadlines {

    private static final AttributeKey<Watch> KEY = AttributeKey.valueOf("herald.deadlines");
    private static final long MAX_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MIN_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final long handshakeTimeoutNanos;
    private final int idleTimeoutMillis;
    private final long sweepPeriodNanos;
    private final HandshakeTimeout handshakeTimeout;
    private final Map<EventLoop, Sweep> sweeps = new ConcurrentHashMap<>();

    /** Ends a connection that completed no handshake in time: what it is told depends on its transport. */
    @FunctionalInterface
    public interface HandshakeTimeout {
        /** Called on the channel's event loop, once, after the channel was marked refused. */
        void expired(Channel channel);
    }

    public ConnectionDeadlines(AccessProperties properties, HandshakeTimeout handshakeTimeout) {
        this.handshakeTimeoutNanos = properties.handshakeTimeout().toNanos();
        this.idleTimeoutMillis = (int) properties.heartbeatTimeout().toMillis();
        this.handshakeTimeout = handshakeTimeout;
        long shortest = Math.min(handshakeTimeoutNanos, TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis));
        this.sweepPeriodNanos = Math.max(MIN_SWEEP_NANOS, Math.min(MAX_SWEEP_NANOS, shortest / 4));
    }

    /** How often each event loop checks its connections, the most a deadline is noticed late. */
    public Duration sweepPeriod() {
        return Duration.ofNanos(sweepPeriodNanos);
    }

    /**
     * Starts the handshake deadline and the heartbeat of a new connection. Called on the channel's
     * event loop once the channel is registered (from its initializer), before anything else touches
     * the connection: the {@link Session} of the channel is kept here.
     */
    public void watch(Channel channel) {
        EventLoop loop = channel.eventLoop();
        Watch watch = new Watch(channel, loop.ticker().nanoTime(), idleTimeoutMillis);
        channel.attr(KEY).set(watch);
        if (loop.inEventLoop()) {
            sweepOf(loop).add(watch);
        } else {
            loop.execute(() -> sweepOf(loop).add(watch));
        }
    }

    /** Records that a message was read: the heartbeat starts over. Called on the channel's event loop. */
    public static void read(Channel channel) {
        Watch watch = channel.attr(KEY).get();
        if (watch != null) {
            watch.lastReadNanos = channel.eventLoop().ticker().nanoTime();
        }
    }

    /** Replaces the connection's idle timeout (MQTT: 1.5 × the client's keep-alive), counted from now. */
    public static void idleTimeout(Channel channel, Duration timeout) {
        Watch watch = channel.attr(KEY).get();
        if (watch != null) {
            watch.idleTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            watch.lastReadNanos = channel.eventLoop().ticker().nanoTime();
        }
    }

    /** The channel's session or {@link Session#REFUSED} marker, {@code null} before either. */
    static Session session(Channel channel) {
        Watch watch = channel.attr(KEY).get();
        return watch == null ? null : watch.session;
    }

    /** Sets the channel's session, or with {@code onlyIfAbsent} the refused marker unless one is set. */
    static void session(Channel channel, Session session, boolean onlyIfAbsent) {
        Watch watch = channel.attr(KEY).get();
        if (watch == null) {
            throw new IllegalStateException("connection " + channel + " is not watched");
        }
        if (!onlyIfAbsent || watch.session == null) {
            watch.session = session;
        }
    }

    /** The connection's {@link BroadcastHold}, {@code null} unless a backlog replay is in flight. Event loop only. */
    static BroadcastHold hold(Channel channel) {
        Watch watch = channel.attr(KEY).get();
        return watch == null ? null : watch.hold;
    }

    static void hold(Channel channel, BroadcastHold hold) {
        Watch watch = channel.attr(KEY).get();
        if (watch == null) {
            throw new IllegalStateException("connection " + channel + " is not watched");
        }
        watch.hold = hold;
    }

    private Sweep sweepOf(EventLoop loop) {
        return sweeps.computeIfAbsent(loop, l -> {
            Sweep sweep = new Sweep(l);
            l.scheduleWithFixedDelay(sweep, sweepPeriodNanos, sweepPeriodNanos, TimeUnit.NANOSECONDS);
            return sweep;
        });
    }

    /**
     * One connection's session and deadlines; a node of its event loop's singly linked list (only the
     * sweep unlinks, while it walks), touched on that loop only. Small on purpose: one per connection.
     */
    private static final class Watch {
        final Channel channel;
        final long openedNanos;
        long lastReadNanos;
        int idleTimeoutMillis;
        volatile Session session;
        /** Only while the backlog is replayed; with compressed references the field fits in the padding. */
        BroadcastHold hold;
        Watch next;

        Watch(Channel channel, long now, int idleTimeoutMillis) {
            this.channel = channel;
            this.openedNanos = now;
            this.lastReadNanos = now;
            this.idleTimeoutMillis = idleTimeoutMillis;
        }
    }

    /** The connections of one event loop, checked by a task of that loop: no locking. */
    private final class Sweep implements Runnable {
        private final EventLoop loop;
        private Watch head;

        Sweep(EventLoop loop) {
            this.loop = loop;
        }

        void add(Watch watch) {
            watch.next = head;
            head = watch;
        }

        @Override
        public void run() {
            long now = loop.ticker().nanoTime();
            Watch previous = null;
            Watch watch = head;
            while (watch != null) {
                Watch next = watch.next;
                Channel channel = watch.channel;
                boolean keep = channel.isActive();
                if (keep && watch.session == null && now - watch.openedNanos >= handshakeTimeoutNanos) {
                    keep = false;
                    Session.markRefused(channel);
                    handshakeTimeout.expired(channel);
                } else if (keep) {
                    idle(watch, now);
                }
                if (keep) {
                    previous = watch;
                } else if (previous == null) {
                    head = next;
                } else {
                    previous.next = next;
                }
                watch = next;
            }
        }

        private void idle(Watch watch, long now) {
            if (now - watch.lastReadNanos >= TimeUnit.MILLISECONDS.toNanos(watch.idleTimeoutMillis)) {
                // Re-armed like Netty's idle handler: a handler that does not close hears again later.
                watch.lastReadNanos = now;
                watch.channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
            }
        }
    }
}

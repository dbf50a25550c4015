package dev.herald.bench.device;

import dev.herald.bench.clock.EpochMicros;
import dev.herald.bench.clock.RatePacer;
import dev.herald.core.app.DeviceToken;
import io.netty.channel.ConnectTimeoutException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated devices of one process: opens them at a paced rate with a bounded number of
 * handshakes in flight, keeps them alive with one sweeper thread (no timer per connection), and
 * closes them. Device tokens are minted locally with the app secret, as an app server would.
 */
public final class DeviceFleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeviceFleet.class);

    private final FleetSettings settings;
    private final DeliverySink sink;
    private final EventLoops loops;
    private final DeviceTransport transport;
    private final AtomicReferenceArray<DeviceConnection> connections;
    private final ScheduledExecutorService sweeper;
    private final Set<String> loggedReasons = ConcurrentHashMap.newKeySet();

    public DeviceFleet(FleetSettings settings, DeliverySink sink) {
        this(settings, sink, (loops, timeout) -> Objects.requireNonNull(settings.protocol(), "protocol")
                .transport(loops, timeout, 64 * 1024, settings.tls()));
    }

    /**
     * A fleet whose devices speak what {@code transports} makes (the settings' protocol is not used): the
     * devices of the side-by-side comparison subscribing to mosquitto or NATS.
     */
    public DeviceFleet(FleetSettings settings, DeliverySink sink, DeviceTransport.Factory transports) {
        this.settings = settings;
        this.sink = sink;
        this.loops = new EventLoops(settings.eventLoopThreads());
        this.transport = transports.create(loops, settings.connectTimeout());
        this.connections = new AtomicReferenceArray<>(settings.count());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-keepalive");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::keepAlive, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Connects every device of the fleet, paced; returns when every attempt has succeeded or failed. With TLS
     * resumption asked for, every device first connects once and closes (unmeasured, so each has a session
     * ticket from the node), and the outcome is the second round's, with how many of its handshakes resumed.
     */
    public ConnectOutcome connectAll() throws InterruptedException {
        if (!settings.tls().resume()) {
            return connectRound(0);
        }
        ConnectOutcome first = connectRound(0);
        log.info("first round for TLS session tickets: {}/{} connected; closing them before the measured round",
                first.connected(), first.attempted());
        closeConnections(Duration.ofSeconds(30));
        return connectRound(transport.tlsSessionsResumed());
    }

    /** Closes every connection and waits (bounded) until none is open; the fleet stays usable. */
    private void closeConnections(Duration timeout) throws InterruptedException {
        List<DeviceConnection> closing = new ArrayList<>();
        for (int i = 0; i < connections.length(); i++) {
            DeviceConnection c = connections.getAndSet(i, null);
            if (c != null) {
                c.close();
                closing.add(c);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (closing.stream().anyMatch(DeviceConnection::isOpen) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the goodbyes being written; a connection has no close future to wait on
        }
    }

    private ConnectOutcome connectRound(long resumedBefore) throws InterruptedException {
        int count = settings.count();
        RatePacer pacer = new RatePacer(settings.connectRate());
        Semaphore window = new Semaphore(settings.inFlight());
        CountDownLatch all = new CountDownLatch(count);
        AtomicInteger connected = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        Recorder handshakes = new Recorder(3);
        Instant expiry = Instant.now().plus(settings.tokenTtl());
        long startedMicros = EpochMicros.now();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            pacer.awaitTurn(i, start);
            window.acquire();
            int slot = i;
            int index = settings.firstDevice() + i;
            String deviceId = settings.devicePrefix() + index;
            DeviceLogin login = new DeviceLogin(index, deviceId, settings.appId(),
                    DeviceToken.mint(settings.secret(), settings.appId(), deviceId, expiry), settings.room());
            InetSocketAddress server = settings.servers().get(index % settings.servers().size());
            long attemptStart = System.nanoTime();
            transport.connect(login, server, settings.sources().forDevice(index), sink).whenComplete((connection, error) -> {
                window.release();
                if (error == null) {
                    connections.set(slot, connection);
                    handshakes.recordValue(Math.max(1, (System.nanoTime() - attemptStart) / 1_000));
                    connected.incrementAndGet();
                } else {
                    String reason = reason(error);
                    failures.merge(reason, 1, Integer::sum);
                    if (loggedReasons.add(reason)) {
                        log.warn("device {} could not connect to {}: {} (further {} failures are only counted)",
                                deviceId, server, describe(unwrap(error)), reason);
                    }
                }
                all.countDown();
            });
        }
        all.await();
        Histogram handshakeMicros = handshakes.getIntervalHistogram();
        int ok = connected.get();
        return new ConnectOutcome(count, ok, count - ok, failures, startedMicros, EpochMicros.now(), handshakeMicros,
                transport.tlsSessionsResumed() - resumedBefore);
    }

    /** Devices whose connection is open now. */
    public int openConnections() {
        int open = 0;
        for (int i = 0; i < connections.length(); i++) {
            DeviceConnection c = connections.get(i);
            if (c != null && c.isOpen()) {
                open++;
            }
        }
        return open;
    }

    /** Ids of the devices whose connection is open now. */
    public List<String> openDeviceIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < connections.length(); i++) {
            DeviceConnection c = connections.get(i);
            if (c != null && c.isOpen()) {
                ids.add(c.login().deviceId());
            }
        }
        return ids;
    }

    private void keepAlive() {
        long now = System.nanoTime();
        for (int i = 0; i < connections.length(); i++) {
            DeviceConnection c = connections.get(i);
            if (c != null) {
                c.keepAlive(now);
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The failure and, when it wraps another, the innermost cause (a TLS handshake's says what was wrong). */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? error.toString() : error + ", caused by " + root;
    }

    /** A short, countable name for why a connect failed. */
    static String reason(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof DeviceRefusedException refused) {
            return refused.reason();
        }
        if (e instanceof ConnectTimeoutException) {
            return "CONNECT_TIMEOUT";
        }
        if (e instanceof BindException) {
            return "BIND_FAILED";
        }
        if (e instanceof ConnectException) {
            return "CONNECT_REFUSED";
        }
        return e.getClass().getSimpleName();
    }

    /** Says goodbye on every connection, waits a moment for the goodbyes to leave, then stops the threads. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            closeConnections(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.close();
    }
}

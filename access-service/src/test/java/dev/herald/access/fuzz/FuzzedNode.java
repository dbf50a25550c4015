package dev.herald.access.fuzz;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.herald.access.AccessProperties;
import dev.herald.access.delivery.PushMeters;
import dev.herald.access.delivery.StatusCounters;
import dev.herald.access.device.DeviceSessions;
import dev.herald.access.mqtt.MqttConnectionHandler;
import dev.herald.access.mqtt.PublishQueues;
import dev.herald.access.nativeprotocol.ConnectionHandler;
import dev.herald.access.offline.AckForwarder;
import dev.herald.access.offline.BacklogReplay;
import dev.herald.access.room.RoomRequests;
import dev.herald.access.server.AcceptMeters;
import dev.herald.access.server.BlockedAddressFilter;
import dev.herald.access.server.DeviceChannelInitializer;
import dev.herald.access.server.HandshakeTimeouts;
import dev.herald.access.server.TransportPipelines;
import dev.herald.access.session.ConnectionDeadlines;
import dev.herald.access.session.ConnectionMeters;
import dev.herald.access.session.RouteRecorder;
import dev.herald.access.session.Session;
import dev.herald.access.session.SessionRegistry;
import dev.herald.access.tls.ServerTls;
import dev.herald.access.uplink.UplinkIntake;
import dev.herald.core.app.App;
import dev.herald.core.app.AppCatalog;
import dev.herald.core.app.DeviceToken;
import dev.herald.core.app.IpBlacklist;
import dev.herald.protocol.MessageId;
import dev.herald.protocol.fuzz.BufferMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.springframework.util.unit.DataSize;

/**
 * An access node's connection handling as the Spring context wires it (transport pipelines, the
 * native and MQTT session handlers, {@link DeviceSessions} with a real {@link SessionRegistry} and app
 * directory and real token checks, metrics), minus what lies behind it: routes, the saver (backlog and
 * acknowledgements) and the Redis uplink stream are stubs that answer at once; rooms (Redis for every
 * answer) take their frames and answer nothing. Each
 * {@link #connect()} installs the production {@link DeviceChannelInitializer} on an embedded channel.
 *
 * <p>Apps: {@value #APP} (with a callback URL) and {@value #OTHER_APP} (without; its uplinks are taken
 * all the same, the dispatcher dead-letters them). Routes are written at once unless a test passes its own
 * {@link RouteRecorder}.
 */
final class FuzzedNode implements AutoCloseable {

    static final String APP = "demo";
    static final String OTHER_APP = "news";
    static final String SECRET = "demo-secret-0123456789";
    static final String OTHER_SECRET = "news-secret-0123456789";
    /** Small, so that frames at and over the limit are cheap to generate; the validated minimum is 1024. */
    static final int MAX_FRAME_BYTES = 4096;
    /** The most a socket read delivers (AdaptiveRecvByteBufAllocator's maximum). */
    static final int MAX_READ = 65536;
    /** HttpObjectAggregator's limit on the upgrade request in TransportPipelines. */
    static final int MAX_HTTP_REQUEST_BYTES = 8192;
    /** The longest header before a frame's or packet's body: WebSocket 14 bytes, MQTT 5. */
    private static final int MAX_HEADER_BYTES = 14;

    /** The most a TLS handler may keep between reads: less than one record (TLS 1.2's limit, RFC 5246 6.2.3). */
    private static final int MAX_TLS_RECORD_BYTES = 5 + (1 << 14) + 2048;

    final AccessProperties properties;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final SessionRegistry registry;
    final ConnectionMeters connectionMeters;
    final PushMeters pushMeters;
    private final AcceptMeters acceptMeters;
    final BufferMeter buffers = new BufferMeter();
    final CloseReasons closeReasons = new CloseReasons();
    private final TransportPipelines transports;
    private final BlockedAddressFilter blockedAddresses;
    private final ServerTls tls;
    /** The client side of TLS: each connection starts with a handshake trusting this; {@code null}: plaintext. */
    private final SSLContext clientTls;

    /** Routes written at once. */
    FuzzedNode() {
        this(routesWrittenAtOnce());
    }

    private static RouteRecorder routesWrittenAtOnce() {
        return new RouteRecorder() {
            @Override
            public CompletableFuture<Long> online(String appId, String deviceId) {
                return CompletableFuture.completedFuture(NOT_REVOKED);
            }

            @Override
            public void offline(String appId, String deviceId) {
            }
        };
    }

    FuzzedNode(RouteRecorder routes) {
        this(routes, AccessProperties.Tls.off(), null);
    }

    /**
     * A node with a certificate ({@code tls}), whose every connection is a client that first completes a TLS
     * handshake trusting {@code clientTls}, then sends the fuzzed bytes inside the session.
     */
    static FuzzedNode overTls(AccessProperties.Tls tls, SSLContext clientTls) {
        return new FuzzedNode(routesWrittenAtOnce(), tls, clientTls);
    }

    private FuzzedNode(RouteRecorder routes, AccessProperties.Tls tlsSettings, SSLContext clientTls) {
        properties = new AccessProperties("access-fuzz", "default", "127.0.0.1", null, 0,
                "http://127.0.0.1:9", MAX_FRAME_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofDays(1), Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                3, Duration.ofSeconds(10), 0, 100, 65536, false,
                new AccessProperties.Room(20, 64, 5, 10, 4096, Duration.ofSeconds(10), Duration.ofMillis(2)),
                new AccessProperties.Mqtt(1000, DataSize.ofMegabytes(1)), tlsSettings);
        tls = new ServerTls(tlsSettings);
        this.clientTls = clientTls;
        registry = new SessionRegistry(routes);
        connectionMeters = new ConnectionMeters(meters, registry);
        pushMeters = new PushMeters(meters);
        acceptMeters = new AcceptMeters(meters);
        blockedAddresses = new BlockedAddressFilter(IpBlacklist.NONE, acceptMeters);
        AppCatalog apps = new AppCatalog(List.of(
                new App(APP, "Demo", "demo-key", List.of(SECRET), null, null, "http://127.0.0.1:9/uplinks"),
                new App(OTHER_APP, "News", "news-key", List.of(OTHER_SECRET), null, null, null)));
        // stubOnly: a million inputs must not be remembered as invocations.
        BacklogReplay backlog = mock(BacklogReplay.class, withSettings().stubOnly());
        AckForwarder acks = mock(AckForwarder.class, withSettings().stubOnly());
        UplinkIntake uplinks = mock(UplinkIntake.class, withSettings().stubOnly());
        when(uplinks.accept(any(), any(), any())).thenAnswer(call -> {
            Session session = call.getArgument(0);
            String appId = call.getArgument(1);
            byte[] payload = call.getArgument(2);
            boolean taken = session.appIds().contains(appId) && payload.length > 0;
            return taken ? CompletableFuture.completedFuture(MessageId.generate())
                    : CompletableFuture.failedFuture(new IllegalStateException("not taken"));
        });
        DeviceSessions sessions = new DeviceSessions(apps, registry, backlog, acks, connectionMeters, pushMeters);
        // Rooms need Redis for every answer: room frames are decoded and handed over, and not answered here.
        RoomRequests rooms = mock(RoomRequests.class, withSettings().stubOnly());
        transports = new TransportPipelines(properties,
                new ConnectionHandler(properties, sessions, uplinks, rooms, connectionMeters),
                new MqttConnectionHandler(sessions, uplinks, connectionMeters, new PublishQueues(properties, meters,
                        mock(StatusCounters.class, withSettings().stubOnly()))), connectionMeters);
    }

    @Override
    public void close() {
        closeReasons.close();
        tls.destroy();
    }

    /** A new connection from a client, through the production initializer. */
    FuzzedConnection connect() {
        // Deadlines per connection: each embedded channel has an event loop of its own, and the
        // deadlines keep a sweep per event loop.
        ConnectionDeadlines deadlines = new ConnectionDeadlines(properties,
                new HandshakeTimeouts(properties, connectionMeters));
        return new FuzzedConnection(this,
                new DeviceChannelInitializer(properties, transports, acceptMeters, connectionMeters, blockedAddresses,
                        deadlines, tls),
                clientTls == null ? null : ClientTlsSession.start(clientTls));
    }

    /**
     * The most the handler named {@code handler} (as TransportPipelines and Netty's handshake name
     * them) may keep between reads: less than one frame or packet and its header; the HTTP request
     * limit for the upgrade request.
     */
    static int heldLimit(String handler) {
        if (handler.equals("herald.tls")) {
            return MAX_TLS_RECORD_BYTES;
        }
        return handler.startsWith("herald.http") ? MAX_HTTP_REQUEST_BYTES : MAX_FRAME_BYTES + MAX_HEADER_BYTES;
    }

    /** A valid token of {@value #APP} for {@code deviceId}, valid for a day. */
    String token(String deviceId) {
        return DeviceToken.mint(SECRET, APP, deviceId, Instant.now().plus(Duration.ofDays(1)));
    }

    String otherToken(String deviceId) {
        return DeviceToken.mint(OTHER_SECRET, OTHER_APP, deviceId, Instant.now().plus(Duration.ofDays(1)));
    }

    /** The {@code herald.access.connections.rejected} counters by reason, for a before/after difference. */
    Map<String, Double> rejected() {
        Map<String, Double> byReason = new HashMap<>();
        for (Counter counter : meters.find("herald.access.connections.rejected").counters()) {
            byReason.put(counter.getId().getTag("reason"), counter.count());
        }
        return byReason;
    }

    /** The {@code herald.access.connections.opened} counters by protocol, for a before/after difference. */
    Map<String, Double> detected() {
        Map<String, Double> byProtocol = new HashMap<>();
        for (Counter counter : meters.find("herald.access.connections.opened").counters()) {
            byProtocol.put(counter.getId().getTag("protocol"), counter.count());
        }
        return byProtocol;
    }

    double heartbeatTimeouts() {
        Counter counter = meters.find("herald.access.heartbeat.timeouts").counter();
        return counter == null ? 0 : counter.count();
    }
}

package dev.herald.access;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of an access node ({@code herald.access.*}). The defaults make a local run work.
 *
 * @param nodeId            this node's id in routes, {@code h:nodes}, {@code h:deliveries:{node}} and
 *                          discovery; unique per running instance
 * @param cell              the cell this node belongs to: with ZooKeeper it registers as service
 *                          {@code access.<cell>}, and that cell's dispatchers send to it
 * @param host              bind address of the native TCP listener
 * @param advertisedHost    the address other services reach this node at, registered in discovery;
 *                          defaults to {@code host}, or 127.0.0.1 when {@code host} is a wildcard
 *                          (0.0.0.0 or ::), which only suits a single machine
 * @param port              port of the native TCP listener (0 picks a free one)
 * @param saverUrl          base URL of the saver's internal API
 * @param maxFrameBytes     largest frame a device may send or receive
 * @param handshakeTimeout  a connection that has not completed CONNECT by then is closed
 * @param heartbeat         the interval told to clients in CONNACK; a connection silent for twice
 *                          this long is closed with HEARTBEAT_TIMEOUT
 * @param nodeHeartbeat     how often this node refreshes its entry in {@code h:nodes}
 * @param routeTtl          expiry of each route key; every route is re-set each {@code routeTtl / 3}
 * @param routeBatchWindow  route SETs and removals within this window go to Redis together
 * @param fetchBatchWindow  devices connecting within this window share one saver fetch request
 * @param ackBatchWindow    device acknowledgements within this window share one saver ack request
 * @param broadcastCursorInterval how often, at most, a connection's broadcast cursor is stored at the saver
 *                          while it acknowledges only live broadcasts (always when it closes); a node that
 *                          dies loses at most this much of it, and devices report their own at CONNECT
 * @param saverTimeout      timeout of one saver request
 * @param saverRetries      retries of a failed backlog fetch, or of a failed ACK write to the offline store, before
 *                          the batch is logged and dropped
 * @param shutdownTimeout   bound on each blocking step of start-up (first node heartbeat) and shutdown
 *                          (node removal, disconnects, route removal, pending acks, event loops)
 * @param connectRatePerIp  new connections accepted per second from one client address, on average;
 *                          more are reset at accept time; 0 turns the limit off
 * @param connectBurstPerIp new connections one address may open at once before its rate applies
 * @param connectRateTrackedIps addresses whose rate is tracked at most (least recently seen forgotten
 *                          first): bounds the limit's memory (about 100 bytes each)
 * @param connectRateLimitsLoopback whether loopback clients are limited too (off: local tools, tests and
 *                          load generators connect from there)
 * @param room              chat rooms on this node ({@code herald.access.room.*}, see {@link Room})
 * @param mqtt              MQTT connections ({@code herald.access.mqtt.*}, see {@link Mqtt})
 * @param tls               TLS on the device port ({@code herald.access.tls.*}, see {@link Tls})
 */
@Validated
@ConfigurationProperties("herald.access")
public record AccessProperties(
        @DefaultValue("access-1") @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String nodeId,
        @DefaultValue("default") @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String cell,
        @DefaultValue("0.0.0.0") @NotBlank String host,
        String advertisedHost,
        @DefaultValue("7070") @Min(0) @Max(65535) int port,
        @DefaultValue("http://localhost:8083") @NotNull @Pattern(regexp = "https?://\\S+") String saverUrl,
        @DefaultValue("65536") @Min(1024) @Max(16 * 1024 * 1024) int maxFrameBytes,
        @DefaultValue("PT10S") @NotNull Duration handshakeTimeout,
        @DefaultValue("PT30S") @NotNull Duration heartbeat,
        @DefaultValue("PT5S") @NotNull Duration nodeHeartbeat,
        @DefaultValue("P1D") @NotNull Duration routeTtl,
        @DefaultValue("PT0.005S") @NotNull Duration routeBatchWindow,
        @DefaultValue("PT0.005S") @NotNull Duration fetchBatchWindow,
        @DefaultValue("PT0.02S") @NotNull Duration ackBatchWindow,
        @DefaultValue("PT30S") @NotNull Duration broadcastCursorInterval,
        @DefaultValue("PT5S") @NotNull Duration saverTimeout,
        @DefaultValue("3") @Min(0) @Max(10) int saverRetries,
        @DefaultValue("PT10S") @NotNull Duration shutdownTimeout,
        @DefaultValue("50") @Min(0) @Max(1_000_000) int connectRatePerIp,
        @DefaultValue("100") @Min(1) @Max(1_000_000) int connectBurstPerIp,
        @DefaultValue("65536") @Min(1) @Max(10_000_000) int connectRateTrackedIps,
        @DefaultValue("false") boolean connectRateLimitsLoopback,
        @DefaultValue @NotNull @Valid Room room,
        @DefaultValue @NotNull @Valid Mqtt mqtt,
        @DefaultValue @NotNull @Valid Tls tls) {

    /**
     * Chat rooms on an access node ({@code herald.access.room.*}).
     *
     * @param historyOnJoin          most history messages sent after a ROOM_JOIN (the client may ask for fewer)
     * @param maxRoomsPerConnection  rooms one connection may be a member of at once
     * @param memberSendRate         ROOM_SENDs per second one member may make in one room, on average
     * @param memberSendBurst        ROOM_SENDs a member may make at once before the rate applies
     * @param maxPayloadBytes        largest ROOM_SEND payload
     * @param sendTimeout            a ROOM_SEND whose order the sequencer has not confirmed by then is answered
     *                               ERROR ROOM_REJECTED (it may still be delivered)
     * @param batchWindow            joins, leaves and sends within this window share one Redis round
     */
    public record Room(
            @DefaultValue("20") @Min(0) @Max(1000) int historyOnJoin,
            @DefaultValue("64") @Min(1) @Max(10_000) int maxRoomsPerConnection,
            @DefaultValue("5") @DecimalMin("0.001") double memberSendRate,
            @DefaultValue("10") @Min(1) int memberSendBurst,
            @DefaultValue("4096") @Min(1) @Max(1024 * 1024) int maxPayloadBytes,
            @DefaultValue("PT10S") @NotNull Duration sendTimeout,
            @DefaultValue("PT0.002S") @NotNull Duration batchWindow) {

        public Room {
            requireAtLeast("room.send-timeout", sendTimeout, Duration.ofMillis(100));
            requireWindow("room.batch-window", batchWindow);
        }
    }

    /**
     * MQTT connections ({@code herald.access.mqtt.*}). A connection has at most 64 QoS 1 PUBLISHes without
     * PUBACK; pushes beyond that wait in its queue, which exists only while something waits, and go out
     * as PUBACKs arrive. A full queue drops its oldest online-only push; a stored one that finds no room
     * stays in the device's backlog (docs/protocol.md).
     *
     * @param queueMaxMessages pushes one connection's queue holds at most (0: none wait)
     * @param queueMaxBytes    payload bytes one connection's queue holds at most (a broadcast's payload is
     *                         shared by every connection in memory, but counted in each queue)
     */
    public record Mqtt(
            @DefaultValue("1000") @Min(0) @Max(1_000_000) int queueMaxMessages,
            @DefaultValue("1MB") @NotNull DataSize queueMaxBytes) {

        public Mqtt {
            if (queueMaxBytes != null && queueMaxBytes.isNegative()) {
                throw new IllegalArgumentException("herald.access.mqtt.queue-max-bytes must not be negative: "
                        + queueMaxBytes);
            }
        }
    }

    /**
     * TLS on the device port ({@code herald.access.tls.*}). A connection whose first byte is a TLS record
     * (0x16) is decrypted, and the protocol detection then runs on what it carries: native frames, {@code wss}
     * and {@code mqtts} on the same port as their plaintext forms. Off while no certificate is set.
     *
     * @param certificate    PEM file of the server certificate (the leaf first; it may hold the chain too)
     * @param privateKey     PEM file of its private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
     * @param chain          optional PEM file of intermediate certificates sent after the leaf
     * @param required       refuse plaintext connections (closed quietly, counted as
     *                       {@code rejected{reason=tls-required}}); needs a certificate
     * @param reloadInterval how often the files are checked for a change (a new certificate is used for new
     *                       connections; open ones keep theirs)
     * @param sessionTicketSecret secret the TLS session-ticket keys are derived from (OpenSSL provider): the same on
     *                       every node, so that a device reconnecting to any node (a storm after a node loss)
     *                       resumes its session instead of a full handshake. Empty: each node makes its own at
     *                       start, and a device resumes only on the node that issued its ticket
     */
    public record Tls(
            Path certificate,
            Path privateKey,
            Path chain,
            @DefaultValue("false") boolean required,
            @DefaultValue("PT10S") @NotNull Duration reloadInterval,
            @DefaultValue("") String sessionTicketSecret) {

        public Tls {
            if ((certificate == null) != (privateKey == null)) {
                throw new IllegalArgumentException(
                        "herald.access.tls.certificate and herald.access.tls.private-key go together");
            }
            if (required && certificate == null) {
                throw new IllegalArgumentException("herald.access.tls.required needs herald.access.tls.certificate");
            }
            if (reloadInterval != null && reloadInterval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("herald.access.tls.reload-interval must be at least 100ms: "
                        + reloadInterval);
            }
        }

        /** TLS off: plaintext only. */
        public static Tls off() {
            return new Tls(null, null, null, false, Duration.ofSeconds(10), "");
        }

        public boolean enabled() {
            return certificate != null;
        }
    }

    /** CONNACK carries the heartbeat as an unsigned 16-bit number of seconds. */
    private static final long MAX_HEARTBEAT_SECONDS = 0xFFFF;

    public AccessProperties {
        if (advertisedHost == null || advertisedHost.isBlank()) {
            advertisedHost = host == null || isWildcard(host) ? "127.0.0.1" : host;
        }
        // Bean Validation runs after construction, so the rules on durations fail start-up here.
        requireAtLeast("handshake-timeout", handshakeTimeout, Duration.ofMillis(10));
        requireAtLeast("heartbeat", heartbeat, Duration.ofSeconds(1));
        if (heartbeat != null && (heartbeat.toSeconds() > MAX_HEARTBEAT_SECONDS || heartbeat.toMillisPart() != 0)) {
            throw new IllegalArgumentException(
                    "herald.access.heartbeat must be whole seconds up to " + MAX_HEARTBEAT_SECONDS + "s: " + heartbeat);
        }
        requireAtLeast("node-heartbeat", nodeHeartbeat, Duration.ofMillis(100));
        requireAtLeast("route-ttl", routeTtl, Duration.ofSeconds(3));
        if (routeTtl != null && nodeHeartbeat != null && routeTtl.compareTo(nodeHeartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("herald.access.route-ttl (" + routeTtl
                    + ") must be at least three node heartbeats (" + nodeHeartbeat + ")");
        }
        requireWindow("route-batch-window", routeBatchWindow);
        requireWindow("fetch-batch-window", fetchBatchWindow);
        requireWindow("ack-batch-window", ackBatchWindow);
        requireAtLeast("saver-timeout", saverTimeout, Duration.ofMillis(10));
        requireAtLeast("shutdown-timeout", shutdownTimeout, Duration.ofMillis(100));
    }

    /** Reader idle time after which a connection is considered dead. */
    public Duration heartbeatTimeout() {
        return heartbeat.multipliedBy(2);
    }

    /** Interval of the bulk route refresh. */
    public Duration routeRefreshInterval() {
        return routeTtl.dividedBy(3);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("::0");
    }

    private static void requireAtLeast(String name, Duration value, Duration min) {
        if (value != null && value.compareTo(min) < 0) {
            throw new IllegalArgumentException("herald.access." + name + " must be at least " + min + ": " + value);
        }
    }

    private static void requireWindow(String name, Duration value) {
        if (value != null && (value.isNegative() || value.compareTo(Duration.ofSeconds(1)) > 0)) {
            throw new IllegalArgumentException("herald.access." + name + " must be between 0 and 1s: " + value);
        }
    }
}

package dev.herald.bench.compare;

import dev.herald.bench.device.DeviceTransport;
import dev.herald.bench.device.EventLoops;
import dev.herald.bench.device.PeerDevices;
import dev.herald.bench.peer.PeerServer;
import dev.herald.bench.scenario.NodeProbe;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * mosquitto or nats-server, started by push-bench on a free port for this target's part of the run and
 * stopped right after it (so the servers never run at the same time), measured with the same devices and
 * the same scenarios as Herald.
 */
final class PeerTarget implements Target {

    private final String name;
    private final Function<Path, PeerServer> starter;
    private final DeviceTransport.Factory devices;
    private final SenderOpener opener;
    private final String settingsLine;
    private final Path dir;
    private PeerServer server;

    @FunctionalInterface
    private interface SenderOpener {
        MessageSender open(EventLoops loops, InetSocketAddress server) throws Exception;
    }

    private PeerTarget(String name, Function<Path, PeerServer> starter, DeviceTransport.Factory devices,
                       SenderOpener opener, String settingsLine, Path dir) {
        this.name = name;
        this.starter = starter;
        this.devices = devices;
        this.opener = opener;
        this.settingsLine = settingsLine;
        this.dir = dir;
    }

    /** mosquitto with devices subscribed and a publisher publishing at {@code qos}. */
    static PeerTarget mosquitto(Path dir, MqttQoS qos, int maxInFlight, Duration connectTimeout) {
        return new PeerTarget("mosquitto", PeerServer::mosquitto, PeerDevices.mqtt(qos),
                (loops, server) -> MqttPublisher.connect(loops, server, qos, maxInFlight, connectTimeout),
                "MQTT 3.1.1, QoS " + qos.value() + " subscriptions and publishes, one publisher connection"
                        + (qos == MqttQoS.AT_LEAST_ONCE ? " with up to " + maxInFlight + " publishes un-PUBACKed" : ""), dir);
    }

    /** nats-server with Netty NATS subscribers and one jnats publisher. */
    static PeerTarget nats(Path dir, int maxQueued) {
        return new PeerTarget("NATS", PeerServer::nats, PeerDevices.nats(),
                (loops, server) -> NatsPublisher.connect(server, maxQueued),
                "core NATS (at most once), one jnats publisher connection", dir);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        server = starter.apply(dir);
    }

    @Override
    public DeviceTransport.Factory devices() {
        return devices;
    }

    @Override
    public List<InetSocketAddress> deviceServers() {
        return List.of(server.address());
    }

    @Override
    public String app() {
        return "compare";
    }

    @Override
    public String secret() {
        return "unused-by-peers-0123456789";
    }

    @Override
    public MessageSender openSender(EventLoops loops) throws Exception {
        return opener.open(loops, server.address());
    }

    @Override
    public Long rssBytes() {
        return server == null ? null : NodeProbe.rss(server.pid());
    }

    @Override
    public Long redisCommands() {
        return null;
    }

    @Override
    public String describe() {
        return name + ": " + (server == null ? "not started" : server.name() + " pid " + server.pid() + " on 127.0.0.1:" + server.port())
                + "; " + settingsLine;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}

package dev.herald.bench.compare;

import dev.herald.bench.device.DeviceTls;
import dev.herald.bench.device.DeviceTransport;
import dev.herald.bench.device.EventLoops;
import dev.herald.bench.device.Protocol;
import dev.herald.bench.scenario.NodeProbe;
import dev.herald.bench.scenario.PushApiClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A Herald suite that is already running (deploy/local/herald.sh start): devices speak the native protocol
 * to its access nodes, messages go through push-api. Memory is the access nodes' RSS (their pids given, or
 * found from the ports devices connect to); Redis commands come from the suite's Redis.
 */
final class HeraldTarget implements Target {

    private final HeraldSettings settings;
    private final List<InetSocketAddress> servers = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private RedisCommandStats redis;

    HeraldTarget(HeraldSettings settings) {
        this.settings = settings;
        for (String address : settings.access()) {
            servers.add(hostPort(address));
        }
    }

    @Override
    public String name() {
        return "Herald";
    }

    @Override
    public void start() throws IOException {
        URI api = URI.create(settings.api());
        int apiPort = api.getPort() > 0 ? api.getPort() : 80;
        reachable(new InetSocketAddress(api.getHost(), apiPort), "push-api");
        for (InetSocketAddress server : servers) {
            reachable(server, "access node");
        }
        pids.clear();
        if (!settings.pids().isEmpty()) {
            pids.addAll(settings.pids());
        } else {
            for (InetSocketAddress server : servers) {
                OptionalLong pid = ListeningProcess.on(server.getPort());
                pid.ifPresent(p -> {
                    if (!pids.contains(p)) {
                        pids.add(p);
                    }
                });
            }
        }
        if (settings.redisPort() > 0) {
            redis = new RedisCommandStats("127.0.0.1", settings.redisPort());
            redis.totalCalls(); // fails now, with a clear message, rather than in the middle of the run
        }
    }

    private static void reachable(InetSocketAddress address, String what) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address.getHostString(), address.getPort()), 2_000);
        } catch (IOException e) {
            throw new IOException("Herald's " + what + " is not reachable at " + address.getHostString() + ":" + address.getPort()
                    + " (start the suite with deploy/local/herald.sh start, or leave herald out of --targets): " + e.getMessage(), e);
        }
    }

    @Override
    public DeviceTransport.Factory devices() {
        return (loops, timeout) -> Protocol.NATIVE.transport(loops, timeout, 64 * 1024, DeviceTls.PLAINTEXT);
    }

    @Override
    public List<InetSocketAddress> deviceServers() {
        return servers;
    }

    @Override
    public String app() {
        return settings.app();
    }

    @Override
    public String secret() {
        return settings.secret();
    }

    @Override
    public MessageSender openSender(EventLoops loops) {
        PushApiClient api = new PushApiClient(settings.api(), settings.app(), settings.key(), settings.secret(), settings.auth());
        return new HeraldSender(api, settings.batch(), settings.linger(), settings.offline(), settings.ttlSeconds(),
                settings.concurrency());
    }

    @Override
    public Long rssBytes() {
        if (pids.isEmpty()) {
            return null;
        }
        long total = 0;
        for (long pid : pids) {
            Long rss = NodeProbe.rss(pid);
            if (rss == null) {
                return null;
            }
            total += rss;
        }
        return total;
    }

    @Override
    public Long redisCommands() {
        if (redis == null) {
            return null;
        }
        try {
            return redis.totalCalls();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return "Herald: push-api " + settings.api() + ", native devices on " + String.join(", ", settings.access())
                + (pids.isEmpty() ? " (access node pids unknown: no RSS)" : " (access node pids " + pids + ")")
                + "; unicasts in batches of up to " + settings.batch() + " (linger " + settings.linger().toMillis() + " ms), "
                + settings.concurrency() + " requests in flight, offline=" + settings.offline()
                + (redis == null ? "; Redis not measured" : "; Redis 127.0.0.1:" + settings.redisPort());
    }

    @Override
    public void close() {
        // the suite is not ours: it keeps running
    }

    /** {@code host:port}. */
    static InetSocketAddress hostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("address must be host:port, not " + address);
        }
        try {
            return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address must be host:port, not " + address);
        }
    }
}

package dev.herald.bench.worker;

import dev.herald.bench.device.DeviceFleet;
import dev.herald.bench.device.FleetSettings;
import dev.herald.bench.device.Protocol;
import dev.herald.bench.device.SourceAddresses;
import dev.herald.bench.scenario.DeviceSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** All devices in this process, on one shared event loop group. */
public final class LocalWorker implements DeviceWorkers {

    private static final Duration TOKEN_TTL = Duration.ofDays(1);

    private final String name;
    private DeviceFleet fleet;
    private ReceiveLog log;
    private int devices;
    private ConnectStats connect = ConnectStats.none();

    public LocalWorker(String name) {
        this.name = name;
    }

    @Override
    public List<WorkerReady> start(int runId, DeviceSpec spec, Duration timeout) throws InterruptedException {
        log = new ReceiveLog(runId);
        devices = spec.devices();
        fleet = new DeviceFleet(settings(spec), log);
        connect = ConnectStats.of(fleet.connectAll());
        return List.of(new WorkerReady(name, devices, connect));
    }

    static FleetSettings settings(DeviceSpec spec) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String address : spec.access()) {
            servers.add(hostPort(address));
        }
        return new FleetSettings(Protocol.parse(spec.protocol()), servers, spec.app(), spec.secret(), spec.devicePrefix(),
                spec.firstDevice(), spec.devices(), spec.connectRate(), spec.inFlight(),
                SourceAddresses.parse(spec.sourceAddresses()), spec.eventLoops(),
                Duration.ofMillis((long) (spec.connectTimeoutSeconds() * 1000)), TOKEN_TTL, spec.room(), spec.tls());
    }

    /** {@code host:port}, {@code [v6]:port}; unresolved until connect. */
    static InetSocketAddress hostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("access node address must be host:port, not " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("access node address must be host:port, not " + address);
        }
    }

    @Override
    public long received() {
        return log == null ? 0 : log.received();
    }

    @Override
    public List<WorkerResult> finish(Duration timeout) {
        if (fleet == null) {
            return List.of();
        }
        int open = fleet.openConnections();
        WorkerResult result = new WorkerResult(name, devices, connect, log.snapshot(), open);
        close();
        return List.of(result);
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }
}

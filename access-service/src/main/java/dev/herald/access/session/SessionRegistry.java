package dev.herald.access.session;

import dev.herald.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Every connection of this node, by app and device: {@code app → (device → connection)}. The same map
 * answers a unicast (one look-up) and a broadcast (the app's values), so a connection costs one map
 * entry per app it logged in to.
 *
 * <p>Registering and unregistering a device happen inside the map's per-key lock together with the
 * call to the {@link RouteRecorder}, so route writes for one device are recorded in the order the
 * device came and went.
 */
@Component
public final class SessionRegistry {

    private final RouteRecorder routes;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, DeviceConnection>> byApp = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> byProtocol = Map.of("native", new AtomicInteger(),
            "websocket", new AtomicInteger(), "mqtt", new AtomicInteger());
    private volatile boolean closing;

    public SessionRegistry(RouteRecorder routes) {
        this.routes = routes;
    }

    /**
     * What {@link #register} did: connections it displaced, and per app of the session (in its order) a future
     * that completes when the app's route is written, with the device's token revocation time
     * ({@link RouteRecorder#online}).
     */
    public record Registration(List<DeviceConnection> replaced, List<CompletableFuture<Long>> routesWritten) {
    }

    /**
     * Makes the session's connection the connection of the session's device for each of its apps.
     *
     * @return the older connections of the same device that this one replaces (to be closed by the
     *         caller) and the futures of its route writes
     */
    public Registration register(Session session) {
        DeviceConnection channel = session.connection();
        List<DeviceConnection> replaced = new ArrayList<>(1);
        List<CompletableFuture<Long>> written = new ArrayList<>(session.appIds().size());
        String deviceId = session.deviceId();
        for (String appId : session.appIds()) {
            byApp.computeIfAbsent(appId, a -> new ConcurrentHashMap<>())
                    .compute(deviceId, (d, current) -> {
                        if (current != null && current != channel && !replaced.contains(current)) {
                            replaced.add(current);
                        }
                        written.add(routes.online(appId, deviceId));
                        return channel;
                    });
        }
        connections.incrementAndGet();
        byProtocol.get(channel.protocol()).incrementAndGet();
        return new Registration(replaced, written);
    }

    /**
     * Removes the session's connection wherever it is still the device's connection; where a newer connection
     * has replaced it, the newer one stays and its route is left alone.
     */
    public void unregister(Session session) {
        DeviceConnection channel = session.connection();
        String deviceId = session.deviceId();
        for (String appId : session.appIds()) {
            ConcurrentHashMap<String, DeviceConnection> devices = byApp.get(appId);
            if (devices == null) {
                continue;
            }
            devices.computeIfPresent(deviceId, (d, current) -> {
                if (current != channel) {
                    return current;
                }
                routes.offline(appId, deviceId);
                return null;
            });
        }
        connections.decrementAndGet();
        byProtocol.get(channel.protocol()).decrementAndGet();
    }

    /** The device's connection on this node, or {@code null}. */
    public DeviceConnection find(String appId, String deviceId) {
        ConcurrentHashMap<String, DeviceConnection> devices = byApp.get(appId);
        return devices == null ? null : devices.get(deviceId);
    }

    /** A live view of the app's connections on this node, for a broadcast. */
    public Collection<DeviceConnection> connectionsOf(String appId) {
        ConcurrentHashMap<String, DeviceConnection> devices = byApp.get(appId);
        return devices == null ? Collections.emptyList() : devices.values();
    }

    /** Connections that completed their handshake and are still open. */
    public int connectionCount() {
        return connections.get();
    }

    /** The same, of one protocol: {@code native}, {@code websocket} or {@code mqtt}. */
    public int connectionCount(String protocol) {
        return byProtocol.get(protocol).get();
    }

    /**
     * A weakly consistent walk over every (app, device) registered on this node, for the bulk route
     * refresh; it does not copy the registry.
     */
    public Iterator<DeviceKey> devices() {
        Iterator<Map.Entry<String, ConcurrentHashMap<String, DeviceConnection>>> apps = byApp.entrySet().iterator();
        return new Iterator<>() {
            private String appId;
            private Iterator<String> deviceIds = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!deviceIds.hasNext() && apps.hasNext()) {
                    Map.Entry<String, ConcurrentHashMap<String, DeviceConnection>> next = apps.next();
                    appId = next.getKey();
                    deviceIds = next.getValue().keySet().iterator();
                }
                return deviceIds.hasNext();
            }

            @Override
            public DeviceKey next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return new DeviceKey(appId, deviceIds.next());
            }
        };
    }

    /** From now on new handshakes are refused with SERVER_SHUTDOWN. */
    public void close() {
        closing = true;
    }

    public boolean isClosing() {
        return closing;
    }

    /**
     * Sends DISCONNECT with {@code code} to every registered connection and closes it.
     *
     * @return completes when all of them are closed
     */
    public CompletableFuture<Void> disconnectAll(ErrorCode code, String message) {
        Set<DeviceConnection> all = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ConcurrentHashMap<String, DeviceConnection> devices : byApp.values()) {
            all.addAll(devices.values());
        }
        if (all.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger open = new AtomicInteger(all.size());
        for (DeviceConnection connection : all) {
            connection.channel().closeFuture().addListener(f -> {
                if (open.decrementAndGet() == 0) {
                    done.complete(null);
                }
            });
            connection.disconnect(code, message);
        }
        return done;
    }
}

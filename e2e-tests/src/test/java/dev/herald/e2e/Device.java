package dev.herald.e2e;

import dev.herald.client.PushClient;
import dev.herald.client.PushListener;
import dev.herald.client.PushMessage;
import dev.herald.protocol.ErrorCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A device: a real push-client connection to one access node, recording what its listener received. */
final class Device implements PushListener, AutoCloseable {

    final String appId;
    final String deviceId;
    final String token;
    private final List<PushMessage> received = new CopyOnWriteArrayList<>();
    private final List<ErrorCode> disconnects = new CopyOnWriteArrayList<>();
    private PushClient client;

    Device(String deviceId, String token) {
        this(HeraldSuite.APP, deviceId, token);
    }

    Device(String appId, String deviceId, String token) {
        this.appId = appId;
        this.deviceId = deviceId;
        this.token = token;
    }

    /** Connects to the access node on {@code port}, carrying the broadcast cursor of any earlier connection. */
    Device connect(int port) {
        long cursor = client == null ? 0 : client.broadcastCursor(appId);
        if (client != null) {
            client.close();
        }
        client = PushClient.builder()
                .server("127.0.0.1", port)
                .deviceId(deviceId)
                .app(appId, token)
                .broadcastCursor(appId, cursor)
                .listener(this)
                .reconnect(false)
                .build();
        try {
            client.connect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("device " + deviceId + " could not connect: " + e, e);
        }
        return this;
    }

    /** Sends an uplink for this device's app; completes with the id once Herald stored it durably. */
    java.util.concurrent.CompletableFuture<dev.herald.protocol.MessageId> uplink(String text) {
        return client.uplink(appId, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void onPush(PushMessage message) {
        received.add(message);
    }

    @Override
    public void onDisconnected(ErrorCode reason, String message) {
        if (reason != null) {
            disconnects.add(reason);
        }
    }

    List<String> texts() {
        return received.stream().map(PushMessage::text).collect(Collectors.toList());
    }

    List<PushMessage> received() {
        return List.copyOf(received);
    }

    long count(String messageId) {
        return received.stream().filter(m -> m.id().toString().equals(messageId)).count();
    }

    PushMessage message(String messageId) {
        return received.stream().filter(m -> m.id().toString().equals(messageId)).findFirst()
                .orElseThrow(() -> new AssertionError(deviceId + " has not received " + messageId));
    }

    boolean connected() {
        return client != null && client.isConnected();
    }

    @Override
    public void close() {
        disconnect();
    }
}

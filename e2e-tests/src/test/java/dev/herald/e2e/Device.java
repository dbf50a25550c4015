package dev.herald.e2e;

import dev.herald.client.PushClient;
import dev.herald.client.PushListener;
import dev.herald.client.PushMessage;
import dev.herald.client.RoomJoined;
import dev.herald.client.RoomMessage;
import dev.herald.client.RoomSent;
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
    private final List<RoomMessage> roomMessages = new CopyOnWriteArrayList<>();
    private final List<String> removals = new CopyOnWriteArrayList<>();
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

    RoomJoined join(String roomId) {
        try {
            // 30 s: right after the 5 000-member burst the node is still writing those members' leaves in
            // batches, and a join's answer waits behind them on a loaded CI machine (seen: > 10 s).
            return client.join(appId, roomId).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(deviceId + " could not join " + roomId + ": " + e, e);
        }
    }

    java.util.concurrent.CompletableFuture<RoomJoined> tryJoin(String roomId) {
        return client.join(appId, roomId);
    }

    void leave(String roomId) {
        client.leave(appId, roomId).join();
    }

    java.util.concurrent.CompletableFuture<RoomSent> sendToRoom(String roomId, String text) {
        return client.sendToRoom(appId, roomId, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void onRoomMessage(RoomMessage message) {
        roomMessages.add(message);
    }

    @Override
    public void onRoomRemoved(String app, String roomId, ErrorCode reason) {
        removals.add(roomId + ":" + reason);
    }

    /** The room messages received for {@code roomId}, in arrival order. */
    List<RoomMessage> roomMessages(String roomId) {
        return roomMessages.stream().filter(m -> m.roomId().equals(roomId)).toList();
    }

    List<String> roomTexts(String roomId) {
        return roomMessages(roomId).stream().map(RoomMessage::text).toList();
    }

    List<String> removals() {
        return List.copyOf(removals);
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

    /** The reasons the node gave when it ended this device's connections, in order. */
    List<ErrorCode> disconnects() {
        return List.copyOf(disconnects);
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

package dev.herald.client;

import dev.herald.protocol.ErrorCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a client reports, in order, as short strings and messages. */
final class RecordingListener implements PushListener {

    final List<PushMessage> pushes = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<RoomMessage> roomMessages = new CopyOnWriteArrayList<>();

    @Override
    public void onRoomMessage(RoomMessage message) {
        roomMessages.add(message);
    }

    @Override
    public void onRoomRemoved(String appId, String roomId, ErrorCode reason) {
        events.add("removed:" + appId + "/" + roomId + ":" + reason);
    }

    @Override
    public void onPush(PushMessage message) {
        pushes.add(message);
    }

    @Override
    public void onConnected() {
        events.add("connected");
    }

    @Override
    public void onDisconnected(ErrorCode reason, String message) {
        events.add("disconnected:" + reason);
    }

    @Override
    public void onError(ErrorCode code, String message) {
        events.add("error:" + code + ":" + message);
    }
}

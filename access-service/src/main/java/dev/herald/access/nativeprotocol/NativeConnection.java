package dev.herald.access.nativeprotocol;

import dev.herald.access.session.DeviceConnection;
import dev.herald.access.session.EncodedPush;
import dev.herald.access.session.EncodedRoomMessage;
import dev.herald.access.websocket.WebSocketFrames;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import io.netty.channel.Channel;

/**
 * A connection speaking native frames: over TCP directly, or inside binary WebSocket messages (the
 * WebSocket pipeline wraps each outgoing buffer in a message, so both write the same bytes).
 */
public record NativeConnection(Channel channel) implements DeviceConnection {

    /** The pipeline tells the two apart, so this record stays one field per connection. */
    @Override
    public String protocol() {
        return channel.pipeline().get(WebSocketFrames.class) != null ? "websocket" : "native";
    }

    @Override
    public boolean write(EncodedPush push) {
        channel.write(push.nativeFrame().retainedDuplicate(), channel.voidPromise());
        return true;
    }

    @Override
    public boolean writeRoom(EncodedRoomMessage message) {
        channel.write(message.nativeFrame().retainedDuplicate(), channel.voidPromise());
        return true;
    }

    @Override
    public void disconnect(ErrorCode code, String message) {
        channel.writeAndFlush(new Frame.Disconnect(0, code, message)).addListener(WebSocketFrames.END);
    }
}

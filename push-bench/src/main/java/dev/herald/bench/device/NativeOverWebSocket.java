package dev.herald.bench.device;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;

/**
 * Lets {@link NativeDeviceHandler} run over WebSocket unchanged: holds back {@code channelActive} until
 * the upgrade is complete (the device sends CONNECT when it sees it), hands each binary message on as
 * one frame without its length prefix (what the TCP pipeline's length splitter would give), and wraps
 * each native frame the device writes (length prefix included) in one binary message.
 */
@ChannelHandler.Sharable
final class NativeOverWebSocket extends ChannelDuplexHandler {

    /** Stateless: one instance serves every WebSocket device. */
    static final NativeOverWebSocket INSTANCE = new NativeOverWebSocket();

    private NativeOverWebSocket() {
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // swallowed: the device starts on HANDSHAKE_COMPLETE
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ctx.fireChannelActive();
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            ctx.fireExceptionCaught(new DeviceRefusedException("HANDSHAKE_TIMEOUT", "no WebSocket upgrade"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        // The server sends one frame per binary message, never fragmented; anything else is not ours.
        if (!(frame instanceof BinaryWebSocketFrame) || !frame.isFinalFragment() || frame.content().readableBytes() < 4) {
            ReferenceCountUtil.release(frame);
            ctx.fireExceptionCaught(new DeviceRefusedException("UNEXPECTED_WEBSOCKET_FRAME", frame.getClass().getSimpleName()));
            return;
        }
        ByteBuf content = frame.content();
        content.skipBytes(4);
        ctx.fireChannelRead(content); // ownership passes on with the content
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. 404 for a wrong path: count it as one reason, not by exception class
        ctx.fireExceptionCaught(cause instanceof WebSocketHandshakeException
                ? new DeviceRefusedException("WEBSOCKET_HANDSHAKE", cause.getMessage()) : cause);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf frame) {
            ctx.write(new BinaryWebSocketFrame(frame), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}

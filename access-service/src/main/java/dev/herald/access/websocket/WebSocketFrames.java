package dev.herald.access.websocket;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native frames inside WebSocket messages: each binary message holds exactly one native frame,
 * u32 length prefix included (so a client uses the same codec as over TCP). Inbound, a binary
 * message becomes a {@link Frame}; outbound, each buffer (an encoded frame, or a retained duplicate of
 * a shared broadcast frame) becomes one binary message without a copy. A text message is closed with
 * 1003 (unsupported data); a message whose length prefix disagrees with its size, or that is not a
 * valid frame, gets a native DISCONNECT and the connection is closed, as over TCP. A message beyond
 * {@code max-frame-bytes}, whole or in fragments, is closed with 1009 (message too big). A connection the
 * server ends after its last native frame (a refused CONNECT, a DISCONNECT, a heartbeat timeout, a shutdown)
 * gets a Close message 1000 before the TCP close ({@link #END}), as RFC 6455 asks: a client then learns of the end
 * as a close, not as a broken connection (1006), which some clients report late or not at all.
 */
@ChannelHandler.Sharable
public final class WebSocketFrames extends ChannelDuplexHandler {

    public static final WebSocketFrames INSTANCE = new WebSocketFrames();

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrames.class);
    private static final AttributeKey<Boolean> OPEN = AttributeKey.valueOf("herald.webSocketOpen");

    /**
     * Ends the connection once the write it listens to is done: a Close message 1000 first when the channel is an
     * upgraded WebSocket, then the TCP close; for any other channel just the close.
     */
    public static final ChannelFutureListener END = future -> end(future.channel());

    private static void end(Channel channel) {
        if (channel.isActive() && Boolean.TRUE.equals(channel.attr(OPEN).get())) {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    private WebSocketFrames() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (message instanceof BinaryWebSocketFrame) {
                Frame frame = decode(ctx, message.content());
                if (frame != null) {
                    ctx.fireChannelRead(frame);
                }
            } else {
                log.debug("closing {}: {} is not a binary message", ctx.channel().remoteAddress(),
                        message.getClass().getSimpleName());
                ctx.channel().config().setAutoRead(false);
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private static Frame decode(ChannelHandlerContext ctx, ByteBuf content) {
        int size = content.readableBytes();
        if (size < FrameCodec.LENGTH_FIELD_BYTES
                || content.getUnsignedInt(content.readerIndex()) != size - FrameCodec.LENGTH_FIELD_BYTES) {
            fail(ctx, ErrorCode.MALFORMED_FRAME, "a binary message must hold exactly one frame with its length prefix");
            return null;
        }
        ByteBuf body = content.slice(content.readerIndex() + FrameCodec.LENGTH_FIELD_BYTES,
                size - FrameCodec.LENGTH_FIELD_BYTES);
        try {
            return FrameCodec.decode(body);
        } catch (FrameCodec.UnsupportedOpcodeException e) {
            ctx.channel().writeAndFlush(new Frame.ErrorFrame(e.seq(), ErrorCode.UNSUPPORTED_OPCODE, e.getMessage()));
            return null;
        } catch (ProtocolException e) {
            fail(ctx, e.code(), e.getMessage());
            return null;
        }
    }

    private static void fail(ChannelHandlerContext ctx, ErrorCode code, String reason) {
        log.debug("closing {}: {} {}", ctx.channel().remoteAddress(), code, reason);
        ctx.channel().config().setAutoRead(false);
        ctx.channel().writeAndFlush(new Frame.Disconnect(0, code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A message assembled from fragments beyond {@code max-frame-bytes}: close 1009 (message too big), as
     * the WebSocket decoder itself does for a single oversized frame. Anything else goes on to the
     * session handler, which closes the connection.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                    "message larger than the limit")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** The upgrade is done: from now on a Close message can be written (before it, it would go to the HTTP encoder). */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            ctx.channel().attr(OPEN).set(Boolean.TRUE);
        }
        ctx.fireUserEventTriggered(evt);
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

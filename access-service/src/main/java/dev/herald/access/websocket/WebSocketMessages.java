package dev.herald.access.websocket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles fragmented WebSocket messages up to the frame limit, and closes a connection whose
 * message grows over it with status 1009 (message too big), as a single frame over the limit is closed
 * by the frame decoder. Netty's aggregator only raises a TooLongFrameException, after which the
 * connection was closed without a close frame.
 */
public final class WebSocketMessages extends WebSocketFrameAggregator {

    private static final Logger log = LoggerFactory.getLogger(WebSocketMessages.class);

    private final int maxMessageBytes;

    public WebSocketMessages(int maxMessageBytes) {
        super(maxMessageBytes);
        this.maxMessageBytes = maxMessageBytes;
    }

    /** {@code oversized} is released by the aggregator after this returns. */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, WebSocketFrame oversized) {
        log.debug("closing {}: a fragmented message exceeds {} bytes", ctx.channel().remoteAddress(), maxMessageBytes);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
                .addListener(ChannelFutureListener.CLOSE);
    }
}

package dev.herald.access.websocket;

import dev.herald.access.AccessMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the HTTP requests the WebSocket handler lets through (any path other than the WebSocket
 * path, or a request that could not be parsed) with 404 or 400 and closes: this port serves nothing
 * but the upgrade.
 */
@ChannelHandler.Sharable
public final class HttpNotFound extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpNotFound.class);

    private final AccessMetrics metrics;

    public HttpNotFound(AccessMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            boolean malformed = request.decoderResult().isFailure();
            HttpResponseStatus status = malformed ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.NOT_FOUND;
            metrics.rejected(malformed ? "http-malformed" : "http-path");
            log.debug("closing {}: HTTP {} {}", ctx.channel().remoteAddress(), request.method(), status);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } finally {
            ReferenceCountUtil.release(request);
        }
    }
}

package dev.herald.access.websocket;

import dev.herald.access.session.ConnectionMeters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the HTTP requests the WebSocket handler lets through (any path other than the WebSocket
 * path, or a request that could not be parsed) with 404 or 400 and closes: this port serves nothing
 * but the upgrade.
 *
 * <p>Also passes on the bytes a client sent right behind its upgrade request, in the same read: once
 * the 101 is written, the handshake removes the HTTP codec, which hands the bytes it still holds to the
 * handler after it, past the WebSocket frame decoder the handshake put before it. They arrive here as a
 * raw buffer and are handed to the frame decoder itself. Not from the start of the pipeline: over TLS the
 * start is the TLS handler, which would take these decrypted bytes for records (and fail the connection
 * with a {@code protocol_version} alert). (RFC 6455 has the client wait for the 101, so only an impatient or
 * hostile client does this; its frames were dropped.)
 */
@ChannelHandler.Sharable
public final class HttpNotFound extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpNotFound.class);

    private final ConnectionMeters metrics;

    public HttpNotFound(ConnectionMeters metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf early) {
            ChannelHandlerContext frames = ctx.pipeline().context(WebSocketFrameDecoder.class);
            if (frames != null && ctx.pipeline().get(HttpServerCodec.class) == null) {
                ((ChannelInboundHandler) frames.handler()).channelRead(frames, early); // the decoder releases it
            } else {
                early.release();
            }
            return;
        }
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!ctx.channel().isActive()) {
                // The HTTP decoder gives up on a request the close cut short (the handshake deadline,
                // counted there as a timeout): nobody to answer.
                return;
            }
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

package dev.herald.access.server;

import dev.herald.access.session.ConnectionMeters;
import dev.herald.access.session.Session;
import dev.herald.access.tls.ServerTls;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the first bytes of a connection, installs the pipeline of the protocol they announce and
 * removes itself (the bytes read so far go on to the new handlers):
 * <ul>
 *   <li>{@code 0x16} (a TLS handshake record), when a certificate is configured → a {@link SslHandler} takes
 *       this detector's place and a new detector after it looks at the decrypted bytes, which may be any
 *       of the three below ({@code wss}, {@code mqtts}, native over TLS); a second TLS record inside is
 *       garbage. With {@code herald.access.tls.required} anything else is refused ({@code tls-required}).
 *       A failed TLS handshake (bad records, a certificate the client refused) closes the connection
 *       quietly, counted as {@code tls-handshake}; one that never ends meets the connection's handshake
 *       deadline ({@code tls-timeout});</li>
 *   <li>{@code 0x10} (an MQTT CONNECT fixed header) → MQTT 3.1.1;</li>
 *   <li>{@code "GET "} → HTTP, for the WebSocket upgrade at {@code /ws};</li>
 *   <li>a u32 length followed by protocol version 1 → native frames (a first frame over the limit is
 *       then refused by the frame decoder with DISCONNECT FRAME_TOO_LARGE).</li>
 * </ul>
 * Anything else is closed without a word: a debug line and the {@code herald.access.connections.rejected}
 * counter by reason, never a stack trace. The three never overlap: a native length below 16 MiB
 * starts with a zero byte.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

    static final String NAME = "herald.detect";

    private static final Logger log = LoggerFactory.getLogger(ProtocolDetector.class);

    private static final int MQTT_CONNECT = 0x10;
    private static final int TLS_HANDSHAKE = 0x16;
    static final String TLS_NAME = "herald.tls";
    private static final byte[] GET = {'G', 'E', 'T', ' '};
    private static final int NATIVE_PREFIX = FrameCodec.LENGTH_FIELD_BYTES + 1;

    private final TransportPipelines transports;
    private final AcceptMeters acceptMeters;
    private final ConnectionMeters connectionMeters;
    private final int maxFrameBytes;
    private final ServerTls tls;
    /** Whether this detector reads what a {@link SslHandler} before it decrypted. */
    private final boolean decrypted;
    private boolean done;

    ProtocolDetector(TransportPipelines transports, AcceptMeters acceptMeters, ConnectionMeters connectionMeters,
                     int maxFrameBytes, ServerTls tls) {
        this(transports, acceptMeters, connectionMeters, maxFrameBytes, tls, false);
    }

    private ProtocolDetector(TransportPipelines transports, AcceptMeters acceptMeters,
                             ConnectionMeters connectionMeters, int maxFrameBytes, ServerTls tls, boolean decrypted) {
        this.transports = transports;
        this.acceptMeters = acceptMeters;
        this.connectionMeters = connectionMeters;
        this.maxFrameBytes = maxFrameBytes;
        this.tls = tls;
        this.decrypted = decrypted;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }
        int start = in.readerIndex();
        int first = in.getUnsignedByte(start);
        if (!decrypted && first == TLS_HANDSHAKE && tls.enabled()) {
            startTls(ctx);
            return;
        }
        if (!decrypted && tls.required()) {
            reject(ctx, in, "tls-required");
            return;
        }
        if (first == MQTT_CONNECT) {
            install(ctx, "mqtt");
            transports.mqtt(ctx.pipeline(), NAME);
        } else if (first >= 'A' && first <= 'Z') {
            if (in.readableBytes() < GET.length) {
                return;
            }
            for (int i = 0; i < GET.length; i++) {
                if (in.getByte(start + i) != GET[i]) {
                    reject(ctx, in, "http-method");
                    return;
                }
            }
            install(ctx, "websocket");
            transports.webSocket(ctx.pipeline(), NAME);
        } else {
            if (in.readableBytes() < NATIVE_PREFIX) {
                return;
            }
            long length = in.getUnsignedInt(start);
            int version = in.getUnsignedByte(start + FrameCodec.LENGTH_FIELD_BYTES);
            if (version != Frame.VERSION || length < FrameCodec.HEADER_BYTES) {
                reject(ctx, in, "garbage");
                return;
            }
            install(ctx, "native");
            if (length + FrameCodec.LENGTH_FIELD_BYTES > maxFrameBytes) {
                // A native client, but its first frame is too large: the frame decoder answers
                // DISCONNECT FRAME_TOO_LARGE and closes, so the client learns why.
                connectionMeters.rejected("oversized");
            }
            transports.nativeFrames(ctx.pipeline(), NAME);
        }
        // Hands the bytes read so far to the handlers just installed.
        ctx.pipeline().remove(this);
    }

    /**
     * Puts a TLS handler in this detector's place and a detector for the decrypted bytes after it. The
     * bytes read so far go to the TLS handler once this decoder has left (ByteToMessageDecoder hands its
     * buffer on when removed).
     */
    private void startTls(ChannelHandlerContext ctx) {
        done = true;
        SslHandler ssl = tls.newHandler(ctx.alloc());
        ctx.pipeline().replace(this, TLS_NAME, ssl);
        ctx.pipeline().addAfter(TLS_NAME, NAME,
                new ProtocolDetector(transports, acceptMeters, connectionMeters, maxFrameBytes, tls, true));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                acceptMeters.tlsHandshake(true);
            } else {
                acceptMeters.tlsHandshake(false);
                if (!Session.isRefused(ctx.channel())) {
                    done = true;
                    connectionMeters.rejected("tls-handshake");
                    log.debug("closing {}: TLS handshake failed: {}", ctx.channel().remoteAddress(),
                            handshake.cause().toString());
                    Session.markRefused(ctx.channel());
                }
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, event);
    }

    /** Before a protocol is known, anything that fails (a TLS record that does not decode) ends the connection quietly. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {} before its protocol was known: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void install(ChannelHandlerContext ctx, String protocol) {
        done = true;
        acceptMeters.protocol(protocol);
        log.debug("{} speaks {}", ctx.channel().remoteAddress(), protocol);
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        done = true;
        in.skipBytes(in.readableBytes());
        connectionMeters.rejected(reason);
        log.debug("closing {}: first bytes are {}", ctx.channel().remoteAddress(), reason);
        Session.markRefused(ctx.channel());
        ctx.channel().config().setAutoRead(false);
        ctx.close();
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // A connection the handshake deadline refused is counted as a timeout there, not again here.
        if (!done && in.isReadable() && !Session.isRefused(ctx.channel())) {
            done = true;
            connectionMeters.rejected("truncated");
            log.debug("{} closed after {} bytes, too few to tell its protocol", ctx.channel().remoteAddress(),
                    in.readableBytes());
        }
        in.skipBytes(in.readableBytes());
    }
}

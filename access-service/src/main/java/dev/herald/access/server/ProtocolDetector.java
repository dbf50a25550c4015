package dev.herald.access.server;

import dev.herald.access.AccessMetrics;
import dev.herald.access.session.Session;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the first bytes of a connection, installs the pipeline of the protocol they announce and
 * removes itself (the bytes read so far go on to the new handlers):
 * <ul>
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
    private static final byte[] GET = {'G', 'E', 'T', ' '};
    private static final int NATIVE_PREFIX = FrameCodec.LENGTH_FIELD_BYTES + 1;

    private final TransportPipelines transports;
    private final AccessMetrics metrics;
    private final int maxFrameBytes;
    private boolean done;

    ProtocolDetector(TransportPipelines transports, AccessMetrics metrics, int maxFrameBytes) {
        this.transports = transports;
        this.metrics = metrics;
        this.maxFrameBytes = maxFrameBytes;
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
                metrics.rejected("oversized");
            }
            transports.nativeFrames(ctx.pipeline(), NAME);
        }
        // Hands the bytes read so far to the handlers just installed.
        ctx.pipeline().remove(this);
    }

    private void install(ChannelHandlerContext ctx, String protocol) {
        done = true;
        metrics.protocol(protocol);
        log.debug("{} speaks {}", ctx.channel().remoteAddress(), protocol);
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        done = true;
        in.skipBytes(in.readableBytes());
        metrics.rejected(reason);
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
            metrics.rejected("truncated");
            log.debug("{} closed after {} bytes, too few to tell its protocol", ctx.channel().remoteAddress(),
                    in.readableBytes());
        }
        in.skipBytes(in.readableBytes());
    }
}

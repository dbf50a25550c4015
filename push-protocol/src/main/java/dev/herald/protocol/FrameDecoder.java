package dev.herald.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream on the u32 length prefix and decodes each frame into a {@link Frame}.
 *
 * <p>A frame over {@code maxFrameBytes} or one that breaks the protocol ends the connection: the peer
 * gets a DISCONNECT frame with the reason and the channel is closed; no exception travels further
 * down the pipeline. Once the channel is closed, by this decoder or by a handler after it, the rest of
 * the input is skipped, not decoded. A reserved or unknown opcode only gets an ERROR frame: later protocol additions
 * must not break older peers.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    /**
     * Set on a channel whose connection a handler after this decoder has ended ({@link #endInput}): over TLS the
     * channel stays active until close_notify is written, while the rest of an already decrypted read still
     * arrives here, and nothing may be answered after the DISCONNECT.
     */
    private static final AttributeKey<Boolean> INPUT_ENDED = AttributeKey.valueOf(FrameDecoder.class, "inputEnded");

    private final int maxFrameBytes;
    private boolean closing;

    public FrameDecoder(int maxFrameBytes) {
        super(maxFrameBytes, 0, FrameCodec.LENGTH_FIELD_BYTES, 0, FrameCodec.LENGTH_FIELD_BYTES, true);
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (closing || !ctx.channel().isActive() || ctx.channel().hasAttr(INPUT_ENDED)) {
            // Refused by this decoder, or closed by a handler after it (a refused handshake) while frames
            // of the same read were still to come: nobody will answer them, so they are not decoded.
            closing = true;
            in.skipBytes(in.readableBytes());
            return null;
        }
        ByteBuf frame;
        try {
            frame = (ByteBuf) super.decode(ctx, in);
        } catch (TooLongFrameException e) {
            // Skipped before the DISCONNECT is written: the write may close the channel at once, and a
            // channel that goes inactive releases this decoder's buffer.
            in.skipBytes(in.readableBytes());
            fail(ctx, ErrorCode.FRAME_TOO_LARGE, "frame exceeds the limit of " + maxFrameBytes + " bytes");
            return null;
        }
        if (frame == null) {
            return null;
        }
        try {
            return FrameCodec.decode(frame);
        } catch (FrameCodec.UnsupportedOpcodeException e) {
            ctx.writeAndFlush(FrameCodec.encode(ctx.alloc(),
                    new Frame.ErrorFrame(e.seq(), ErrorCode.UNSUPPORTED_OPCODE, e.getMessage())));
            return null;
        } catch (ProtocolException e) {
            in.skipBytes(in.readableBytes());
            fail(ctx, e.code(), e.getMessage());
            return null;
        } finally {
            frame.release();
        }
    }

    /** Whatever else arrives on {@code channel} is skipped, not decoded: its connection has been ended. */
    public static void endInput(Channel channel) {
        channel.attr(INPUT_ENDED).set(Boolean.TRUE);
    }

    private void fail(ChannelHandlerContext ctx, ErrorCode code, String reason) {
        closing = true;
        log.debug("closing {}: {} {}", ctx.channel().remoteAddress(), code, reason);
        ctx.writeAndFlush(FrameCodec.encode(ctx.alloc(), new Frame.Disconnect(0, code, reason)))
                .addListener(ChannelFutureListener.CLOSE);
    }
}

package dev.herald.access.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import java.util.List;

/**
 * Cuts the byte stream into whole MQTT packets by their fixed header (type byte, then a remaining
 * length of one to four bytes) before {@link MqttDecoder} sees them, so that the packet size limit
 * bounds what a connection keeps. Netty's decoder trusts the length of each string inside a packet:
 * a topic or client id that claims 65,535 bytes in a packet of 127 made it wait for them and keep
 * them, up to 64 KiB a string and several strings a CONNECT, whatever its own limit (found by the
 * device-port fuzzer). Here each packet is handed over whole, and a packet the decoder has not
 * consumed by its end lied about its contents: it is reported to {@link MqttConnectionHandler} as a
 * malformed packet, which closes the connection. A remaining length over the limit, or a fifth length
 * byte, is reported the same way before any of the packet is kept.
 */
public final class MqttPackets extends ByteToMessageDecoder {

    private static final int MAX_LENGTH_BYTES = 4;

    private final int maxPacketBytes;
    private boolean failed;

    public MqttPackets(int maxPacketBytes) {
        this.maxPacketBytes = maxPacketBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        long remaining = 0;
        int lengthBytes = 0;
        while (true) {
            if (in.readableBytes() < 2 + lengthBytes) {
                return; // the fixed header is not complete yet
            }
            int digit = in.getUnsignedByte(start + 1 + lengthBytes);
            remaining |= (long) (digit & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((digit & 0x80) == 0) {
                break;
            }
            if (lengthBytes == MAX_LENGTH_BYTES) {
                fail(in, out, new DecoderException("remaining length longer than 4 bytes"));
                return;
            }
        }
        if (remaining > maxPacketBytes) {
            fail(in, out, new TooLongFrameException("packet of " + remaining + " bytes exceeds " + maxPacketBytes));
            return;
        }
        long whole = 1 + lengthBytes + remaining;
        if (in.readableBytes() < whole) {
            return;
        }
        // Handed on at once, not through out: whether the decoder consumed it is known when this returns.
        ByteBuf packet = in.readRetainedSlice((int) whole);
        ctx.fireChannelRead(packet);
        if (packet.isReadable() && !failed && ctx.channel().isActive()) {
            // The decoder kept the packet as its buffer, waiting for bytes the packet does not have.
            failed = true;
            out.add(MqttMessageFactory.newInvalidMessage(
                    new DecoderException("a field is longer than its packet of " + remaining + " bytes")));
        }
    }

    private void fail(ByteBuf in, List<Object> out, DecoderException cause) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(MqttMessageFactory.newInvalidMessage(cause));
    }
}

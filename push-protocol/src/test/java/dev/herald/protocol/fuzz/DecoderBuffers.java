package dev.herald.protocol.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.MessageAggregator;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the decoders of a pipeline hold between reads: the bytes in each {@link ByteToMessageDecoder}'s
 * cumulation buffer (a frame, packet or header line still incomplete; also the decoder inside a
 * combined codec such as the HTTP server codec) and the content of the message each
 * {@link MessageAggregator} is assembling. That is the memory an attacker controls by sending a
 * little less than a whole frame, so each must stay under its decoder's limit. Netty exposes none of
 * it, so it is read from the fields by reflection (test code only; the fields have had these names
 * throughout Netty 4).
 */
public final class DecoderBuffers {

    private static final Field CUMULATION = field(ByteToMessageDecoder.class, "cumulation");
    private static final Field CURRENT_MESSAGE = field(MessageAggregator.class, "currentMessage");
    private static final Field INBOUND_HANDLER = field(CombinedChannelDuplexHandler.class, "inboundHandler");

    private DecoderBuffers() {
    }

    /** Bytes held per handler name, for the decoders and aggregators that hold any. */
    public static Map<String, Integer> held(ChannelPipeline pipeline) {
        Map<String, Integer> held = new LinkedHashMap<>();
        for (Map.Entry<String, ChannelHandler> entry : pipeline) {
            int bytes = held(entry.getValue());
            if (bytes > 0) {
                held.put(entry.getKey(), bytes);
            }
        }
        return held;
    }

    private static int held(ChannelHandler handler) {
        try {
            if (handler instanceof CombinedChannelDuplexHandler<?, ?>) {
                return held((ChannelHandler) INBOUND_HANDLER.get(handler));
            }
            if (handler instanceof ByteToMessageDecoder) {
                ByteBuf cumulation = (ByteBuf) CUMULATION.get(handler);
                return cumulation == null || cumulation.refCnt() == 0 ? 0 : cumulation.readableBytes();
            }
            if (handler instanceof MessageAggregator<?, ?, ?, ?>) {
                ByteBufHolder message = (ByteBufHolder) CURRENT_MESSAGE.get(handler);
                return message == null || message.refCnt() == 0 ? 0 : message.content().readableBytes();
            }
            return 0;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Netty's " + type.getSimpleName() + " has no field " + name, e);
        }
    }
}

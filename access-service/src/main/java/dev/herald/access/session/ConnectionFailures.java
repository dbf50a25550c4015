package dev.herald.access.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import java.io.IOException;
import org.slf4j.Logger;

/** How a device connection's handler ends the connection on an exception, whatever the protocol. */
public final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /**
     * Logs {@code cause} on {@code log} and closes. What a client can cause (a broken socket, bytes that do not
     * decode, a connection closed in the middle of a message) is no server error: a debug line, or anyone could fill
     * the log.
     *
     * @param what how the log calls the connection ("connection", "MQTT connection")
     */
    public static void close(ChannelHandlerContext ctx, Throwable cause, Logger log, String what) {
        if (cause instanceof IOException || cause instanceof DecoderException
                || cause instanceof PrematureChannelClosureException) {
            log.debug("{} {} failed: {}", what, ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("error on {} {}, closing it", what, ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}

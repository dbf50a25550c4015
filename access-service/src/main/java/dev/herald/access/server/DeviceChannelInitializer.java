package dev.herald.access.server;

import dev.herald.access.AccessProperties;
import dev.herald.access.session.ConnectionDeadlines;
import dev.herald.access.session.ConnectionMeters;
import dev.herald.access.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import org.springframework.stereotype.Component;

/**
 * The pipeline of every accepted device connection, before its protocol is known:
 * {@link BlockedAddressFilter} (a blocked client is closed unread) → {@link ProtocolDetector} (which
 * installs the transport's handlers in its own place and removes itself; for TLS, a {@code SslHandler} and a
 * second detector of the decrypted bytes), and the connection's
 * handshake deadline and heartbeat in {@link ConnectionDeadlines}. The {@link AccessServer} installs it
 * on each child channel; the decoder fuzz tests install the same one on an {@code EmbeddedChannel}, so
 * what they feed garbage to is exactly what a socket would reach.
 */
@Component
@ChannelHandler.Sharable
public final class DeviceChannelInitializer extends ChannelInitializer<Channel> {

    private final AccessProperties properties;
    private final TransportPipelines transports;
    private final AcceptMeters acceptMeters;
    private final ConnectionMeters connectionMeters;
    private final BlockedAddressFilter blockedAddresses;
    private final ConnectionDeadlines deadlines;
    private final ServerTls tls;

    public DeviceChannelInitializer(AccessProperties properties, TransportPipelines transports,
                                    AcceptMeters acceptMeters, ConnectionMeters connectionMeters,
                                    BlockedAddressFilter blockedAddresses, ConnectionDeadlines deadlines, ServerTls tls) {
        this.properties = properties;
        this.transports = transports;
        this.acceptMeters = acceptMeters;
        this.connectionMeters = connectionMeters;
        this.blockedAddresses = blockedAddresses;
        this.deadlines = deadlines;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(BlockedAddressFilter.NAME, blockedAddresses);
        pipeline.addLast(ProtocolDetector.NAME, new ProtocolDetector(transports, acceptMeters, connectionMeters,
                properties.maxFrameBytes(), tls));
        deadlines.watch(channel);
    }
}

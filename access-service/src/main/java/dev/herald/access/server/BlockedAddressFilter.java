package dev.herald.access.server;

import dev.herald.core.app.IpBlacklist;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ipfilter.AbstractRemoteAddressFilter;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * First handler of every connection: closes it at accept time, before a byte is read, when the client
 * address is in the current {@link IpBlacklist} (ZooKeeper {@code global/blacklist-ips}). Nothing is
 * written back: a blocked client learns nothing but a closed socket. An accepted connection removes this
 * handler from its pipeline, so the check costs one look-up per connection.
 */
@Component
@ChannelHandler.Sharable
public final class BlockedAddressFilter extends AbstractRemoteAddressFilter<InetSocketAddress> {

    public static final String NAME = "herald.blockedAddress";

    private static final Logger log = LoggerFactory.getLogger(BlockedAddressFilter.class);

    private final IpBlacklist blacklist;
    private final AcceptMeters metrics;

    public BlockedAddressFilter(IpBlacklist blacklist, AcceptMeters metrics) {
        this.blacklist = blacklist;
        this.metrics = metrics;
    }

    @Override
    protected boolean accept(ChannelHandlerContext ctx, InetSocketAddress remoteAddress) {
        return remoteAddress.getAddress() == null || !blacklist.blocks(remoteAddress.getAddress());
    }

    @Override
    protected ChannelFuture channelRejected(ChannelHandlerContext ctx, InetSocketAddress remoteAddress) {
        metrics.blockedConnection();
        log.debug("closed connection from blacklisted {}", remoteAddress);
        // null: the filter closes the channel without writing anything.
        return null;
    }
}

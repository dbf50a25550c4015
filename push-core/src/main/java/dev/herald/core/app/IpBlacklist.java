package dev.herald.core.app;

import java.net.InetAddress;

/**
 * Client addresses a service refuses: push-api answers them 403, access nodes close their connections
 * at accept time. Backed by ZooKeeper ({@code global/blacklist-ips}) when configured; {@link #NONE}
 * otherwise.
 */
@FunctionalInterface
public interface IpBlacklist {

    /** Blocks nothing. */
    IpBlacklist NONE = address -> false;

    boolean blocks(InetAddress address);
}

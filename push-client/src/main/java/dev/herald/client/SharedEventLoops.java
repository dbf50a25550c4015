package dev.herald.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loop group shared by every client built without one of its own: one set of daemon threads
 * (Netty's default count, twice the cores) however many clients a JVM holds. Created on first use and
 * never shut down; its daemon threads do not keep the JVM alive.
 */
final class SharedEventLoops {

    private SharedEventLoops() {
    }

    static EventLoopGroup group() {
        return Holder.GROUP;
    }

    private static final class Holder {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(0,
                new DefaultThreadFactory("herald-client", true), NioIoHandler.newFactory());
    }
}

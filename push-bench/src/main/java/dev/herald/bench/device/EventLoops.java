package dev.herald.bench.device;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One event loop group for every simulated device of a process (tens of thousands of connections on
 * a handful of threads), epoll when the native library loads, NIO otherwise.
 */
public final class EventLoops implements AutoCloseable {

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final boolean epoll;

    public EventLoops(int threads) {
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("bench-io", true);
        this.epoll = Epoll.isAvailable();
        if (epoll) {
            this.group = new MultiThreadIoEventLoopGroup(threads, threadFactory, EpollIoHandler.newFactory());
            this.channelType = EpollSocketChannel.class;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory());
            this.channelType = NioSocketChannel.class;
        }
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends SocketChannel> channelType() {
        return channelType;
    }

    public boolean epoll() {
        return epoll;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

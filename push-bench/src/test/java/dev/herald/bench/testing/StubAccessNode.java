package dev.herald.bench.testing;

import dev.herald.core.app.DeviceToken;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameDecoder;
import dev.herald.protocol.FrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for an access node in push-bench's own tests: speaks the native protocol with the real
 * codec from push-protocol, checks device tokens of one app, records logins and ACKs, and can push to a
 * connected device. Bound to a free loopback port; with a server {@link SslContext}, every connection must
 * start with a TLS handshake (plaintext fails it).
 */
public final class StubAccessNode implements AutoCloseable {

    private final String appId;
    private final String secret;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Map<String, Channel> devices = new ConcurrentHashMap<>();
    private final Set<String> loggedIn = ConcurrentHashMap.newKeySet();
    private final List<Frame.Ack> acks = new CopyOnWriteArrayList<>();
    private final Set<String> remoteHosts = ConcurrentHashMap.newKeySet();
    private final Set<String> tlsLogins = ConcurrentHashMap.newKeySet();

    public StubAccessNode(String appId, String secret) {
        this(appId, secret, null);
    }

    /** A node that takes TLS connections only, from {@code tls} ({@code null}: plaintext only). */
    public StubAccessNode(String appId, String secret, SslContext tls) {
        this.appId = appId;
        this.secret = secret;
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new FrameDecoder(64 * 1024), FrameEncoder.INSTANCE, new Handler());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Device ids that completed a login, ever. */
    public Set<String> loggedIn() {
        return loggedIn;
    }

    /** Device ids that logged in over a TLS session (the protocol the session negotiated is checked by callers). */
    public Set<String> tlsLogins() {
        return tlsLogins;
    }

    public List<Frame.Ack> acks() {
        return acks;
    }

    /** Source addresses devices connected from. */
    public Set<String> remoteHosts() {
        return remoteHosts;
    }

    public int openConnections() {
        return (int) devices.values().stream().filter(Channel::isActive).count();
    }

    public void push(String deviceId, Frame.Push push) {
        Channel ch = devices.get(deviceId);
        if (ch == null) {
            throw new IllegalStateException(deviceId + " is not connected");
        }
        ch.writeAndFlush(push).syncUninterruptibly();
    }

    /** Pushes to every connected device, as a broadcast. */
    public void pushToAll(Frame.Push push) {
        for (Channel ch : devices.values()) {
            if (ch.isActive()) {
                ch.writeAndFlush(push);
            }
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof Frame.Connect connect) {
                Frame.AppLogin login = connect.apps().get(0);
                DeviceToken.Check check = appId.equals(login.appId())
                        ? DeviceToken.check(secret, login.appId(), connect.deviceId(), login.token(), Instant.now())
                        : DeviceToken.Check.MALFORMED;
                if (check != DeviceToken.Check.VALID) {
                    ctx.writeAndFlush(new Frame.ConnAck(connect.seq(), ErrorCode.BAD_TOKEN, 0, "bad token"))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                devices.put(connect.deviceId(), ctx.channel());
                loggedIn.add(connect.deviceId());
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (ssl != null && ssl.handshakeFuture().isSuccess()) {
                    tlsLogins.add(connect.deviceId());
                }
                remoteHosts.add(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress());
                ctx.writeAndFlush(new Frame.ConnAck(connect.seq(), ErrorCode.OK, 30, ""));
            } else if (frame instanceof Frame.Ack ack) {
                acks.add(ack);
            } else if (frame instanceof Frame.Ping ping) {
                ctx.writeAndFlush(new Frame.Pong(ping.seq()));
            } else if (frame instanceof Frame.Disconnect) {
                ctx.close();
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

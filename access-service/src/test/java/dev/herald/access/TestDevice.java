package dev.herald.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.app.DeviceToken;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameDecoder;
import dev.herald.protocol.FrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A raw protocol client for tests: a socket, the shared frame codec and a queue of received frames. */
final class TestDevice implements AutoCloseable {

    static final String DEMO = "demo";
    static final String DEMO_SECRET = "demo-secret-0123456789";
    static final String OTHER = "other";
    static final String OTHER_SECRET = "other-secret-0123456789";
    static final String NEWS = "news";
    static final String NEWS_SECRET = "news-secret-0123456789";

    /** The apps every test context knows, as Spring properties. */
    static final String[] APPS = {
            "herald.apps[0].id=" + DEMO, "herald.apps[0].key=demo-key", "herald.apps[0].secret=" + DEMO_SECRET,
            "herald.apps[1].id=" + OTHER, "herald.apps[1].key=other-key", "herald.apps[1].secret=" + OTHER_SECRET,
            "herald.apps[2].id=" + NEWS, "herald.apps[2].key=news-key", "herald.apps[2].secret=" + NEWS_SECRET,
    };

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final EventLoopGroup GROUP =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-device", true), NioIoHandler.newFactory());

    final String deviceId;
    private final Channel channel;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private int seq;

    private TestDevice(String deviceId, int port) {
        this.deviceId = deviceId;
        this.channel = new Bootstrap()
                .group(GROUP)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(64 * 1024), FrameEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<Frame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
                                        received.add(frame);
                                    }
                                });
                    }
                })
                .connect("127.0.0.1", port)
                .syncUninterruptibly()
                .channel();
    }

    static TestDevice open(String deviceId, int port) {
        return new TestDevice(deviceId, port);
    }

    static String token(String appId, String secret, String deviceId) {
        return DeviceToken.mint(secret, appId, deviceId, Instant.now().plusSeconds(3600));
    }

    /** Opens a connection and logs in to one app with a valid token; asserts CONNACK OK. */
    static TestDevice connected(int port, String deviceId, String appId, String secret) {
        TestDevice device = open(deviceId, port);
        Frame.ConnAck ack = device.connect(List.of(new Frame.AppLogin(appId, token(appId, secret, deviceId), 0)));
        assertThat(ack.code()).as("CONNACK of %s: %s", deviceId, ack.message()).isEqualTo(ErrorCode.OK);
        return device;
    }

    Frame.ConnAck connect(List<Frame.AppLogin> logins) {
        send(new Frame.Connect(nextSeq(), 30, deviceId, logins));
        return next(Frame.ConnAck.class);
    }

    int nextSeq() {
        return ++seq;
    }

    void send(Frame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** The next frame, which must be of {@code type}. */
    <T extends Frame> T next(Class<T> type) {
        Frame frame = poll(WAIT);
        assertThat(frame).as("frame expected by %s within %s", deviceId, WAIT).isNotNull();
        assertThat(frame).isInstanceOf(type);
        return type.cast(frame);
    }

    /** The next frame of {@code type} matching {@code condition}, skipping others. */
    <T extends Frame> T await(Class<T> type, Predicate<T> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Frame frame = poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            assertThat(frame).as("%s matching frame expected by %s within %s", type.getSimpleName(), deviceId, WAIT)
                    .isNotNull();
            if (type.isInstance(frame) && condition.test(type.cast(frame))) {
                return type.cast(frame);
            }
        }
    }

    /** Proves nothing else is queued: a PING is answered, and the PONG is the next frame. */
    void assertNothingBeforePong() {
        int ping = nextSeq();
        send(new Frame.Ping(ping));
        Frame.Pong pong = next(Frame.Pong.class);
        assertThat(pong.seq()).isEqualTo(ping);
    }

    private Frame poll(Duration timeout) {
        try {
            return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether no frame at all has arrived (e.g. the node closed the connection without a word). */
    boolean receivedNothing() {
        return received.isEmpty();
    }

    boolean awaitClosed() {
        return awaitClosed(WAIT);
    }

    boolean awaitClosed(Duration timeout) {
        return channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}

package dev.herald.client;

import static org.awaitility.Awaitility.await;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.FrameDecoder;
import dev.herald.protocol.FrameEncoder;
import dev.herald.protocol.MessageId;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A minimal server speaking the native protocol on a free port: a stand-in for access-service inside
 * this module's tests. It records every frame, answers CONNECT as configured and PING with PONG, and room
 * requests: JOIN with JOINED (ERROR ROOM_KICKED for a room named {@code banned...}), LEAVE with LEFT, SEND with SENT.
 */
final class StubAccessServer implements AutoCloseable {

    /** The id every ROOM_SEND is acknowledged with; a payload over 3 bytes is refused as muted. */
    static final MessageId ROOM_MESSAGE_ID = MessageId.generate();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel serverChannel;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private volatile Function<Frame.Connect, Frame> connAck = c -> new Frame.ConnAck(c.seq(), ErrorCode.OK, 30, "");
    private volatile boolean answerPings = true;
    private volatile Function<Frame.Uplink, Frame> uplinkAnswer = u -> new Frame.UplinkAck(u.seq(), MessageId.generate());

    StubAccessServer() {
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Connection connection = new Connection(ch);
                        connections.add(connection);
                        ch.pipeline().addLast(new FrameDecoder(FrameCodec.DEFAULT_MAX_FRAME_BYTES), FrameEncoder.INSTANCE,
                                new Recorder(connection));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * How CONNECT is answered: a CONNACK OK keeps the connection, any other frame is sent before closing
     * it, {@code null} leaves the CONNECT unanswered.
     */
    void answerConnect(Function<Frame.Connect, Frame> answer) {
        this.connAck = answer;
    }

    void acceptWithHeartbeat(int seconds) {
        answerConnect(c -> new Frame.ConnAck(c.seq(), ErrorCode.OK, seconds, ""));
    }

    void refuseWith(ErrorCode code) {
        answerConnect(c -> new Frame.ConnAck(c.seq(), code, 0, "refused by the stub: " + code));
    }

    /** How UPLINK is answered (default: UPLINK_ACK with a fresh id); {@code null} leaves it unanswered. */
    void answerUplinks(Function<Frame.Uplink, Frame> answer) {
        this.uplinkAnswer = answer;
    }

    void answerPings(boolean answer) {
        this.answerPings = answer;
    }

    List<Connection> connections() {
        return connections;
    }

    /** Waits for the n-th connection (from 0) to have sent its CONNECT. */
    Connection awaitConnection(int index) {
        await().until(() -> connections.size() > index && connections.get(index).connect() != null);
        return connections.get(index);
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One accepted client connection and what it sent. */
    static final class Connection {
        final Channel channel;
        final List<Frame> received = new CopyOnWriteArrayList<>();
        volatile long connectNanos;
        private int pingSeq = 1000;

        Connection(Channel channel) {
            this.channel = channel;
        }

        Frame.Connect connect() {
            return received.stream().filter(Frame.Connect.class::isInstance).map(Frame.Connect.class::cast).findFirst().orElse(null);
        }

        <T extends Frame> List<T> received(Class<T> type) {
            return received.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** Writes the frames as one buffer, so the client reads them in one batch. */
        void send(Frame... frames) {
            ByteBuf buf = channel.alloc().buffer();
            for (Frame frame : frames) {
                FrameCodec.encode(frame, buf);
            }
            channel.writeAndFlush(buf).syncUninterruptibly();
        }

        /**
         * Sends a PING and waits for its PONG: everything the client wrote before answering (ACKs of what
         * it read earlier) has arrived by then, since TCP keeps order.
         */
        void roundTrip() {
            int seq;
            synchronized (this) {
                seq = ++pingSeq;
            }
            send(new Frame.Ping(seq));
            await().until(() -> received.contains(new Frame.Pong(seq)));
        }

        void close() {
            channel.close().syncUninterruptibly();
        }
    }

    private final class Recorder extends SimpleChannelInboundHandler<Frame> {
        private final Connection connection;

        Recorder(Connection connection) {
            this.connection = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof Frame.Connect) {
                connection.connectNanos = System.nanoTime();
            }
            connection.received.add(frame);
            if (frame instanceof Frame.Connect connect) {
                Frame answer = connAck.apply(connect);
                if (answer instanceof Frame.ConnAck ok && ok.code() == ErrorCode.OK) {
                    ctx.writeAndFlush(answer);
                } else if (answer != null) {
                    ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
                }
            } else if (frame instanceof Frame.Ping ping && answerPings) {
                ctx.writeAndFlush(new Frame.Pong(ping.seq()));
            } else if (frame instanceof Frame.Uplink uplink) {
                Frame answer = uplinkAnswer == null ? null : uplinkAnswer.apply(uplink);
                if (answer != null) {
                    ctx.writeAndFlush(answer);
                }
            } else if (frame instanceof Frame.RoomJoin join) {
                ctx.writeAndFlush(join.roomId().startsWith("banned") ? new Frame.ErrorFrame(join.seq(),
                        ErrorCode.ROOM_KICKED, "banned") : new Frame.RoomAck(join.seq(), Frame.RoomAck.Kind.JOINED,
                        ErrorCode.OK, join.appId(), join.roomId(), 5, 2, null));
            } else if (frame instanceof Frame.RoomLeave leave) {
                ctx.writeAndFlush(new Frame.RoomAck(leave.seq(), Frame.RoomAck.Kind.LEFT, ErrorCode.OK, leave.appId(),
                        leave.roomId(), 0, 0, null));
            } else if (frame instanceof Frame.RoomSend send) {
                ctx.writeAndFlush(send.payload().length > 3 ? new Frame.ErrorFrame(send.seq(), ErrorCode.ROOM_MUTED,
                        "muted") : new Frame.RoomAck(send.seq(), Frame.RoomAck.Kind.SENT, ErrorCode.OK, send.appId(),
                        send.roomId(), 6, 0, ROOM_MESSAGE_ID));
            } else if (frame instanceof Frame.Disconnect) {
                ctx.close();
            }
        }
    }
}

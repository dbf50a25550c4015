package dev.herald.bench.compare;

import dev.herald.bench.device.EventLoops;
import dev.herald.bench.device.MqttDialect;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One MQTT 3.1.1 publisher connection to a plain broker (mosquitto): PUBLISH to {@code dev/<device>} for
 * unicasts and {@code all} for broadcasts at QoS 0 or 1. PUBLISH packets are encoded by the sending thread
 * into one buffer that goes out when it passes 32 KB or the caller is idle (one event-loop task per buffer,
 * not per message); QoS 1 keeps at most {@code maxInFlight} publishes un-PUBACKed (packet ids cycle through
 * 1..65535, and mosquitto answers in order). The connection has no keep-alive (0), so it needs no pings.
 */
final class MqttPublisher implements MessageSender {

    private static final int WRITE_AT_BYTES = 32 * 1024;

    private final Channel channel;
    private final MqttQoS qos;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final SendCounts counts;
    private ByteBuf buffer;
    private int buffered;
    private int packetId;
    private ChannelFuture lastWrite;

    private MqttPublisher(Channel channel, MqttQoS qos, int maxInFlight, Semaphore inFlight, SendCounts counts) {
        this.channel = channel;
        this.counts = counts;
        this.qos = qos;
        this.maxInFlight = maxInFlight;
        this.inFlight = inFlight;
    }

    static MqttPublisher connect(EventLoops loops, InetSocketAddress server, MqttQoS qos, int maxInFlight,
                                 Duration timeout) throws IOException, InterruptedException {
        if (qos != MqttQoS.AT_MOST_ONCE && qos != MqttQoS.AT_LEAST_ONCE) {
            throw new IllegalArgumentException("the publisher speaks QoS 0 or 1, not " + qos);
        }
        Semaphore inFlight = new Semaphore(maxInFlight);
        CompletableFuture<Void> connAck = new CompletableFuture<>();
        SendCounts counts = new SendCounts();
        Bootstrap bootstrap = new Bootstrap().group(loops.group()).channel(loops.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Acks(connAck, inFlight, counts));
                    }
                });
        ChannelFuture connect = bootstrap.connect(server);
        if (!connect.await(timeout.toMillis()) || !connect.isSuccess()) {
            connect.channel().close();
            throw new IOException("cannot connect the MQTT publisher to " + server, connect.cause());
        }
        Channel channel = connect.channel();
        MqttPublisher publisher = new MqttPublisher(channel, qos, maxInFlight, inFlight, counts);
        channel.writeAndFlush(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId("push-bench-publisher-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000)
                .cleanSession(true).keepAlive(0).build());
        try {
            connAck.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            channel.close();
            throw new IOException("the MQTT publisher was not accepted by " + server + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : "no CONNACK within " + timeout.toSeconds() + " s"));
        }
        return publisher;
    }

    @Override
    public void broadcast(byte[] payload) throws InterruptedException {
        publish(MqttDialect.PEER_BROADCAST_TOPIC, payload);
    }

    @Override
    public void unicast(String deviceId, byte[] payload) throws InterruptedException {
        publish(MqttDialect.peerDeviceTopic(deviceId), payload);
    }

    private void publish(String topic, byte[] payload) throws InterruptedException {
        int id = 0;
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                flushBuffer();
                ensureOpen();
            }
            packetId = packetId % 0xFFFF + 1;
            id = packetId;
        }
        if (buffer == null) {
            buffer = channel.alloc().buffer(WRITE_AT_BYTES + 1024);
        }
        encodePublish(buffer, topic, payload, qos, id);
        buffered++;
        if (buffer.readableBytes() >= WRITE_AT_BYTES) {
            flushBuffer();
        }
    }

    /** Appends an MQTT 3.1.1 PUBLISH (no DUP, no RETAIN) to {@code out}; {@code packetId} only for QoS above 0. */
    static void encodePublish(ByteBuf out, String topic, byte[] payload, MqttQoS qos, int packetId) {
        int topicBytes = ByteBufUtil.utf8Bytes(topic);
        int remaining = 2 + topicBytes + (qos.value() > 0 ? 2 : 0) + payload.length;
        out.writeByte(0x30 | (qos.value() << 1));
        do {
            int digit = remaining % 128;
            remaining /= 128;
            out.writeByte(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        out.writeShort(topicBytes);
        out.writeCharSequence(topic, StandardCharsets.UTF_8);
        if (qos.value() > 0) {
            out.writeShort(packetId);
        }
        out.writeBytes(payload);
    }

    /** Hands the buffer to the event loop, then waits while the socket's outbound buffer is above its high mark. */
    private void flushBuffer() throws InterruptedException {
        if (buffer != null) {
            ByteBuf out = buffer;
            int messages = buffered;
            buffer = null;
            buffered = 0;
            lastWrite = channel.writeAndFlush(out).addListener(f -> {
                if (f.isSuccess()) {
                    if (qos == MqttQoS.AT_MOST_ONCE) {
                        counts.accepted(messages);
                    }
                } else {
                    counts.rejected(messages, "WRITE_FAILED");
                }
            });
        }
        while (!channel.isWritable()) {
            ensureOpen();
            LockSupport.parkNanos(20_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void ensureOpen() {
        if (!channel.isActive()) {
            throw new IllegalStateException("the broker closed the MQTT publisher's connection");
        }
    }

    @Override
    public void idle() throws InterruptedException {
        flushBuffer();
    }

    @Override
    public void drain(Duration timeout) throws InterruptedException {
        flushBuffer();
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            if (inFlight.tryAcquire(maxInFlight, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                inFlight.release(maxInFlight);
            }
        } else if (lastWrite != null) {
            lastWrite.await(timeout.toMillis());
        }
    }

    @Override
    public SendCounts counts() {
        return counts;
    }

    @Override
    public void close() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        if (channel.isActive()) {
            channel.writeAndFlush(MqttMessage.DISCONNECT).awaitUninterruptibly(2_000);
        }
        channel.close().awaitUninterruptibly(2_000);
    }

    /** CONNACK completes the connect; every PUBACK frees one in-flight slot and counts one message accepted. */
    private static final class Acks extends ChannelInboundHandlerAdapter {

        private final CompletableFuture<Void> connAck;
        private final Semaphore inFlight;
        private final SendCounts counts;

        Acks(CompletableFuture<Void> connAck, Semaphore inFlight, SendCounts counts) {
            this.connAck = connAck;
            this.inFlight = inFlight;
            this.counts = counts;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                MqttMessage message = (MqttMessage) msg;
                if (message.decoderResult().isFailure()) {
                    ctx.close();
                    return;
                }
                MqttMessageType type = message.fixedHeader().messageType();
                if (type == MqttMessageType.PUBACK) {
                    inFlight.release();
                    counts.accepted(1);
                } else if (type == MqttMessageType.CONNACK) {
                    MqttConnectReturnCode code = ((MqttConnAckMessage) message).variableHeader().connectReturnCode();
                    if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        connAck.complete(null);
                    } else {
                        connAck.completeExceptionally(new IOException("CONNACK " + code));
                        ctx.close();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connAck.completeExceptionally(new IOException("connection closed before CONNACK"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

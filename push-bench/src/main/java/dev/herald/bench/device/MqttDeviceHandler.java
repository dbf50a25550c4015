package dev.herald.bench.device;

import dev.herald.bench.clock.EpochMicros;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One simulated device on MQTT 3.1.1: CONNECT (client id = device id; with Herald's {@link MqttDialect}
 * username = app id, password = token) on activation; an accepted CONNACK is answered with one SUBSCRIBE
 * to the device's unicast and broadcast topic (QoS 1 on Herald), and the SUBACK completes the login (the
 * node sends the backlog only after that SUBSCRIBE). Every QoS 1 PUBLISH goes to the {@link DeliverySink} (its payload is the
 * push payload as is) and is answered with a PUBACK, flushed once per read burst. A PINGREQ goes out
 * when nothing was written for two thirds of the keep-alive (the node closes after 1.5 × keep-alive).
 */
final class MqttDeviceHandler extends SimulatedDevice {

    static final int KEEP_ALIVE_SECONDS = 30;
    static final int SUBSCRIBE_ID = 1;
    private static final long PING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS * 2L / 3);

    private final MqttDialect dialect;

        private boolean unflushed;

    MqttDeviceHandler(DeviceLogin login, DeliverySink sink, CompletableFuture<DeviceConnection> done,
                      long handshakeTimeoutNanos) {
        this(login, sink, done, handshakeTimeoutNanos, MqttDialect.HERALD);
    }

    MqttDeviceHandler(DeviceLogin login, DeliverySink sink, CompletableFuture<DeviceConnection> done,
                      long handshakeTimeoutNanos, MqttDialect dialect) {
        super(login, sink, done, handshakeTimeoutNanos);
        this.dialect = dialect;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startHandshakeDeadline(ctx);
        MqttMessageBuilders.ConnectBuilder builder = MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(login.deviceId())
                .keepAlive(KEEP_ALIVE_SECONDS)
                .cleanSession(true);
        if (dialect.credentials()) {
            builder.username(login.appId()).password(login.token().getBytes(StandardCharsets.UTF_8));
        }
        MqttMessage connect = builder.build();
        lastWriteNanos = System.nanoTime();
        ctx.writeAndFlush(connect, ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            MqttMessage message = (MqttMessage) msg;
            if (message.decoderResult().isFailure()) {
                endReason = "MALFORMED_PACKET";
                ctx.close();
                return;
            }
            MqttMessageType type = message.fixedHeader().messageType();
            if (type == MqttMessageType.PUBLISH) {
                publish(ctx, (MqttPublishMessage) message);
            } else if (type == MqttMessageType.CONNACK) {
                connAck(ctx, (MqttConnAckMessage) message);
            } else if (type == MqttMessageType.SUBACK) {
                subAck(ctx, (MqttSubAckMessage) message);
            }
            // PINGRESP, UNSUBACK: nothing to do.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void publish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        // MQTT has no replay flag: a backlog PUBLISH looks like a live one
        sink.delivered(publish.payload(), false, EpochMicros.now());
        if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            MqttPubAckMessage pubAck = new MqttPubAckMessage(
                    new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                    MqttMessageIdVariableHeader.from(publish.variableHeader().packetId()));
            ctx.write(pubAck, ctx.voidPromise());
            unflushed = true;
        }
    }

    private void connAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            refuse(ctx, code.name(), "CONNACK " + (code.byteValue() & 0xff));
            return;
        }
        MqttMessage subscribe = MqttMessageBuilders.subscribe()
                .messageId(SUBSCRIBE_ID)
                .addSubscription(dialect.qos(), dialect.deviceTopic().apply(login))
                .addSubscription(dialect.qos(), dialect.broadcastTopic().apply(login))
                .build();
        write(ctx, subscribe);
    }

    private void subAck(ChannelHandlerContext ctx, MqttSubAckMessage subAck) {
        for (int granted : subAck.payload().grantedQoSLevels()) {
            if (granted == MqttQoS.FAILURE.value()) {
                refuse(ctx, "SUBSCRIBE_REFUSED", "SUBACK " + subAck.payload().grantedQoSLevels());
                return;
            }
        }
        loginCompleted();
    }

    private void refuse(ChannelHandlerContext ctx, String reason, String message) {
        cancelHandshakeDeadline();
        endReason = reason;
        done.completeExceptionally(new DeviceRefusedException(reason, message));
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            lastWriteNanos = System.nanoTime();
            ctx.flush();
        }
    }

    private void write(ChannelHandlerContext ctx, MqttMessage message) {
        lastWriteNanos = System.nanoTime();
        ctx.writeAndFlush(message, ctx.voidPromise());
    }

    @Override
    protected String awaitedAnswer() {
        return "SUBACK";
    }

    @Override
    protected long keepAliveNanos() {
        return PING_AFTER_NANOS;
    }

    @Override
    protected void ping(Channel ch) {
        ch.writeAndFlush(MqttMessage.PINGREQ, ch.voidPromise());
    }

    @Override
    protected void goodbye(Channel ch) {
        ch.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
    }
}

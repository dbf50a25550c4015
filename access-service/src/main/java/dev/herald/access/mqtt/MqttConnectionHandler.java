package dev.herald.access.mqtt;

import dev.herald.access.device.DeviceSessions;
import dev.herald.access.session.ConnectionFailures;
import dev.herald.access.session.ConnectionDeadlines;
import dev.herald.access.session.ConnectionMeters;
import dev.herald.access.session.Session;
import dev.herald.access.uplink.UplinkIntake;
import dev.herald.core.app.Ids;
import dev.herald.protocol.Frame;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * MQTT 3.1.1 packets translated into {@link DeviceSessions} calls. CONNECT: client id = device id,
 * username = app id(s) separated by {@code ,}, password = token(s) in the same order; a refused login
 * gets CONNACK 4 (bad user name or password: unknown app, bad token), 5 (not authorized: expired token,
 * or a will) or 2 (identifier rejected: bad device id); an accepted one gets CONNACK 0 once its routes are
 * written (3, server unavailable, if they cannot be), and packets sent behind the CONNECT are handled
 * after it. SUBSCRIBE to
 * the device's own topics only (see {@link MqttTopics}); QoS 1 PUBACK is the acknowledgement; the
 * backlog of an app is replayed after its first QoS 1 subscription. A PUBLISH to {@code herald/<app>/up}
 * is an uplink (QoS 1: PUBACK once stored, also for an app without a callback URL, which the dispatcher
 * dead-letters; QoS 0: fire and forget). Will messages are refused
 * (NOT_AUTHORIZED), a retained PUBLISH closes the connection, PINGREQ gets PINGRESP, the keep-alive is
 * enforced at 1.5× the client's value. Sharable: per-connection state lives in the {@link Session}'s
 * {@link MqttConnection}.
 */
@Component
@ChannelHandler.Sharable
public final class MqttConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(MqttConnectionHandler.class);

    private final DeviceSessions sessions;
    private final UplinkIntake uplinks;
    private final ConnectionMeters metrics;
    private final PublishQueues queues;

    public MqttConnectionHandler(DeviceSessions sessions, UplinkIntake uplinks, ConnectionMeters metrics,
                                 PublishQueues queues) {
        this.sessions = sessions;
        this.uplinks = uplinks;
        this.metrics = metrics;
        this.queues = queues;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MqttMessage message) {
                ConnectionDeadlines.read(ctx.channel());
                read(ctx, message);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(ChannelHandlerContext ctx, MqttMessage message) {
        if (Session.isRefused(ctx.channel())) {
            return;
        }
        Session session = Session.of(ctx.channel());
        if (message.decoderResult().isFailure()) {
            Throwable cause = message.decoderResult().cause();
            if (session == null && cause instanceof MqttUnacceptableProtocolVersionException) {
                refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            } else if (session == null && cause instanceof MqttIdentifierRejectedException) {
                refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            } else if (cause instanceof TooLongFrameException) {
                // MQTT 3.1.1 cannot say why before closing; the counter and the log line do.
                metrics.rejected("mqtt-oversized");
                close(ctx, "packet larger than the limit: " + cause.getMessage());
            } else {
                if (session == null) {
                    metrics.rejected("mqtt-malformed");
                }
                close(ctx, "malformed packet: " + cause);
            }
            return;
        }
        if (session == null) {
            if (message instanceof MqttConnectMessage connect) {
                connect(ctx, connect);
            } else {
                metrics.rejected("mqtt-malformed");
                close(ctx, message.fixedHeader().messageType() + " before CONNECT");
            }
            return;
        }
        if (sessions.deferUntilConnAck(session, message)) {
            return;
        }
        MqttConnection connection = (MqttConnection) session.connection();
        switch (message.fixedHeader().messageType()) {
            case SUBSCRIBE -> subscribe(ctx, connection, (MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> unsubscribe(ctx, connection, (MqttUnsubscribeMessage) message);
            case PUBACK -> connection.puback(((MqttPubAckMessage) message).variableHeader().messageId());
            case PUBLISH -> publish(ctx, connection, (MqttPublishMessage) message);
            case PINGREQ -> ctx.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)), ctx.voidPromise());
            case DISCONNECT -> {
                log.debug("{} disconnects", session);
                ctx.close();
            }
            default -> close(ctx, "unexpected " + message.fixedHeader().messageType() + " from " + session);
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        if (connect.variableHeader().version() != MqttVersion.MQTT_3_1_1.protocolLevel()) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            return;
        }
        if (connect.variableHeader().isWillFlag()) {
            // MQTT 3.1.1 has no "will not supported" code; publishing nothing would break the promise.
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        String deviceId = connect.payload().clientIdentifier();
        List<Frame.AppLogin> logins = logins(connect);
        if (logins == null) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
            return;
        }
        DeviceSessions.Refusal refusal = sessions.check(deviceId, logins);
        if (refusal != null) {
            log.debug("refused MQTT {} from {}: {} {}", deviceId, ctx.channel().remoteAddress(), refusal.code(),
                    refusal.message());
            refuse(ctx, returnCode(refusal, deviceId));
            return;
        }
        int keepAlive = connect.variableHeader().keepAliveTimeSeconds();
        if (keepAlive > 0) {
            // MQTT 3.1.1 §3.1.2.10: closed after one and a half keep-alive periods without a packet.
            ConnectionDeadlines.idleTimeout(ctx.channel(), Duration.ofMillis(keepAlive * 1500L));
        }
        List<String> appIds = new ArrayList<>(logins.size());
        logins.forEach(login -> appIds.add(login.appId()));
        MqttConnection connection = new MqttConnection(ctx.channel(), sessions, queues, deviceId, appIds);
        DeviceSessions.Opened opened = sessions.open(connection, deviceId, logins);
        connection.opened(opened);
        // CONNACK 0 once the routes are written: a push sent after the device reads it reaches the device. The
        // round that writes them also reads the device's token revocation: lateRefusal is that, or a failed write.
        sessions.whenRouted(opened, lateRefusal -> {
            if (lateRefusal != null) {
                refuse(ctx, returnCode(lateRefusal, deviceId));
                return;
            }
            ctx.write(new MqttConnAckMessage(
                    new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, false)), ctx.voidPromise());
            // Packets sent behind the CONNECT (a SUBSCRIBE, say) are handled now, after the CONNACK.
            sessions.connAcked(opened, early -> read(ctx, (MqttMessage) early));
        });
    }

    /** Username {@code app1,app2}, password {@code token1,token2}; {@code null} when they do not pair up. */
    private static List<Frame.AppLogin> logins(MqttConnectMessage connect) {
        if (!connect.variableHeader().hasUserName() || !connect.variableHeader().hasPassword()) {
            return null;
        }
        String[] apps = connect.payload().userName().split(",", -1);
        String[] tokens = new String(connect.payload().passwordInBytes(), StandardCharsets.UTF_8).split(",", -1);
        if (apps.length != tokens.length || apps.length > 16) {
            return null;
        }
        List<Frame.AppLogin> logins = new ArrayList<>(apps.length);
        for (int i = 0; i < apps.length; i++) {
            logins.add(new Frame.AppLogin(apps[i].trim(), tokens[i].trim(), 0));
        }
        return logins;
    }

    private static MqttConnectReturnCode returnCode(DeviceSessions.Refusal refusal, String deviceId) {
        return switch (refusal.code()) {
            case SERVER_SHUTDOWN, INTERNAL_ERROR -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
            // The credentials were right but no longer are (expired or revoked): 5 tells a client to fetch a new
            // token, where 4 (below) says the token or app is wrong.
            case TOKEN_EXPIRED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            case MALFORMED_FRAME -> Ids.isDeviceId(deviceId)
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            default -> MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
        };
    }

    private void subscribe(ChannelHandlerContext ctx, MqttConnection connection, MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> topics = subscribe.payload().topicSubscriptions();
        int[] granted = new int[topics.size()];
        for (int i = 0; i < granted.length; i++) {
            MqttTopicSubscription topic = topics.get(i);
            granted[i] = connection.subscribe(topic.topicFilter(), topic.qualityOfService().value());
        }
        ctx.writeAndFlush(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()),
                new MqttSubAckPayload(granted)), ctx.voidPromise());
        connection.replayNewlySubscribed();
    }

    private void unsubscribe(ChannelHandlerContext ctx, MqttConnection connection, MqttUnsubscribeMessage unsubscribe) {
        unsubscribe.payload().topics().forEach(connection::unsubscribe);
        ctx.writeAndFlush(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(unsubscribe.variableHeader().messageId())), ctx.voidPromise());
    }

    private void publish(ChannelHandlerContext ctx, MqttConnection connection, MqttPublishMessage publish) {
        if (publish.fixedHeader().isRetain()) {
            close(ctx, "retained PUBLISH is not supported");
            return;
        }
        String topic = publish.variableHeader().topicName();
        String appId = connection.uplinkApp(topic);
        MqttQoS qos = publish.fixedHeader().qosLevel();
        if (appId == null || qos == MqttQoS.EXACTLY_ONCE) {
            // MQTT 3.1.1 has no negative PUBACK: a PUBLISH the server will not take ends the connection.
            close(ctx, "PUBLISH to " + topic + " at " + qos + " is not allowed");
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        int packetId = publish.variableHeader().packetId();
        Channel channel = ctx.channel();
        uplinks.accept(connection.session(), appId, payload).whenComplete((id, error) -> {
            if (error != null) {
                log.debug("uplink from {} on {} not taken, closing: {}", channel.remoteAddress(), topic, error.getMessage());
                channel.close();
            } else if (qos == MqttQoS.AT_LEAST_ONCE) {
                channel.writeAndFlush(new MqttPubAckMessage(
                        new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(packetId)), channel.voidPromise());
            }
        });
    }

    private static void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
        Session.markRefused(ctx.channel());
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(new MqttConnAckMessage(
                new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttConnAckVariableHeader(code, false))).addListener(ChannelFutureListener.CLOSE);
    }

    private static void close(ChannelHandlerContext ctx, String why) {
        log.debug("closing MQTT connection {}: {}", ctx.channel().remoteAddress(), why);
        Session.markRefused(ctx.channel());
        ctx.channel().config().setAutoRead(false);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            metrics.heartbeatTimeout();
            close(ctx, "keep-alive expired");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** PUBACKs of one read let queued pushes out: one flush for all of them. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Session session = Session.of(ctx.channel());
        if (session != null && session.connection() instanceof MqttConnection connection) {
            connection.flushReleased();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Session session = Session.of(ctx.channel());
        if (session != null && session.connection() instanceof MqttConnection connection) {
            connection.closed();
        }
        // MQTT connections join no rooms (not mapped yet, see docs/protocol.md), so there is nothing to leave.
        sessions.closed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionFailures.close(ctx, cause, log, "MQTT connection");
    }
}

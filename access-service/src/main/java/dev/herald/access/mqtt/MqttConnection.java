package dev.herald.access.mqtt;

import dev.herald.access.session.DeviceConnection;
import dev.herald.access.session.DeviceSessions;
import dev.herald.access.session.EncodedPush;
import dev.herald.access.session.Session;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An MQTT 3.1.1 connection after CONNACK: the QoS granted to each of its topics and the QoS 1
 * publishes in flight. Pushes go out as PUBLISH on the device's topic (unicast) or the app's
 * broadcast topic, with the granted QoS: QoS 1 waits for PUBACK (the acknowledgement), QoS 0 counts as
 * acknowledged once written (online only). Without a subscription to the matching topic a push is
 * skipped and, if stored, stays pending for a later connection.
 *
 * <p>Each PUBLISH is a few bytes of header of its own (packet ids differ per connection) followed by
 * the push's shared payload buffer, so a broadcast's payload is never copied per connection. At most
 * {@value #WINDOW} QoS 1 publishes are in flight; further pushes are skipped until PUBACKs arrive. All
 * state is touched on the channel's event loop only.
 */
final class MqttConnection implements DeviceConnection {

    static final int WINDOW = 64;
    private static final int NONE = -1;

    private final Channel channel;
    private final DeviceSessions sessions;
    private final String deviceId;
    private final List<String> appIds;
    private final byte[] unicastQos;
    private final byte[] broadcastQos;
    private final boolean[] replayed;
    /** Allocated with the first QoS 1 publish: an idle connection (or a QoS 0 one) holds no window. */
    private InFlight[] inFlight;
    private int nextSlot;
    private DeviceSessions.Opened opened;

    MqttConnection(Channel channel, DeviceSessions sessions, String deviceId, List<String> appIds) {
        this.channel = channel;
        this.sessions = sessions;
        this.deviceId = deviceId;
        this.appIds = List.copyOf(appIds);
        this.unicastQos = new byte[appIds.size()];
        this.broadcastQos = new byte[appIds.size()];
        this.replayed = new boolean[appIds.size()];
        Arrays.fill(unicastQos, (byte) NONE);
        Arrays.fill(broadcastQos, (byte) NONE);
    }

    void opened(DeviceSessions.Opened opened) {
        this.opened = opened;
    }

    Session session() {
        return opened.session();
    }

    @Override
    public String protocol() {
        return "mqtt";
    }

    @Override
    public Channel channel() {
        return channel;
    }

    /** Records a subscription; returns the granted QoS, or {@code 0x80} when the topic is not the device's. */
    int subscribe(String topic, int requestedQos) {
        MqttTopics.Subscription subscription = MqttTopics.parse(topic, deviceId);
        int app = subscription == null ? NONE : appIds.indexOf(subscription.appId());
        if (app == NONE) {
            return 0x80;
        }
        byte granted = (byte) Math.min(requestedQos, 1);
        (subscription.broadcast() ? broadcastQos : unicastQos)[app] = granted;
        return granted;
    }

    void unsubscribe(String topic) {
        MqttTopics.Subscription subscription = MqttTopics.parse(topic, deviceId);
        int app = subscription == null ? NONE : appIds.indexOf(subscription.appId());
        if (app != NONE) {
            (subscription.broadcast() ? broadcastQos : unicastQos)[app] = NONE;
        }
    }

    /** Replays the backlog of each app that has a QoS 1 subscription now and has not had its backlog yet. */
    void replayNewlySubscribed() {
        List<Frame.AppLogin> due = new ArrayList<>(1);
        for (int i = 0; i < appIds.size(); i++) {
            if (!replayed[i] && (unicastQos[i] == 1 || broadcastQos[i] == 1)) {
                replayed[i] = true;
                // Cursor 0: the saver continues from the cursor it keeps for the device.
                due.add(new Frame.AppLogin(appIds.get(i), "", 0));
            }
        }
        if (!due.isEmpty()) {
            sessions.replayWhenRouted(opened, due);
        }
    }

    /** The app of an uplink topic if this connection is logged in to it, else {@code null}. */
    String uplinkApp(String topic) {
        String appId = MqttTopics.uplinkApp(topic);
        return appId != null && appIds.contains(appId) ? appId : null;
    }

    @Override
    public boolean write(EncodedPush encoded) {
        Frame.Push push = encoded.push();
        int app = appIds.indexOf(push.appId());
        if (app == NONE || opened == null) {
            return false;
        }
        int qos = (push.broadcast() ? broadcastQos : unicastQos)[app];
        // Backlog goes to QoS 1 subscriptions only: a QoS 0 one is online-only.
        if (qos == NONE || (qos == 0 && push.replay())) {
            return false;
        }
        int packetId = 0;
        if (qos == 1) {
            int slot = freeSlot();
            if (slot == NONE) {
                return false;
            }
            inFlight[slot] = new InFlight(push.appId(), push.messageId(), push.broadcast() ? push.broadcastSeq() : 0);
            packetId = slot + 1;
        }
        String topic = push.broadcast() ? MqttTopics.broadcast(push.appId()) : MqttTopics.device(push.appId(), deviceId);
        ByteBuf payload = encoded.payload();
        channel.write(header(topic, qos, packetId, payload.readableBytes()), channel.voidPromise());
        channel.write(payload, channel.voidPromise());
        if (qos == 0) {
            sessions.ack(session(), push.appId(), push.messageId(), push.broadcast() ? push.broadcastSeq() : 0);
        }
        return true;
    }

    /** A PUBACK from the device: the push is delivered. */
    void puback(int packetId) {
        int slot = packetId - 1;
        if (inFlight == null || slot < 0 || slot >= WINDOW || inFlight[slot] == null) {
            return;
        }
        InFlight done = inFlight[slot];
        inFlight[slot] = null;
        sessions.ack(session(), done.appId(), done.messageId(), done.broadcastSeq());
    }

    private int freeSlot() {
        if (inFlight == null) {
            inFlight = new InFlight[WINDOW];
        }
        for (int i = 0; i < WINDOW; i++) {
            int slot = (nextSlot + i) % WINDOW;
            if (inFlight[slot] == null) {
                nextSlot = (slot + 1) % WINDOW;
                return slot;
            }
        }
        return NONE;
    }

    /** The PUBLISH fixed and variable header; the payload follows as its own (shared) buffer. */
    private ByteBuf header(String topic, int qos, int packetId, int payloadBytes) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + name.length + (qos > 0 ? 2 : 0) + payloadBytes;
        ByteBuf header = channel.alloc().buffer(1 + 4 + 2 + name.length + 2);
        header.writeByte(0x30 | (qos << 1));
        do {
            int digit = remaining & 0x7F;
            remaining >>>= 7;
            header.writeByte(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        header.writeShort(name.length);
        header.writeBytes(name);
        if (qos > 0) {
            header.writeShort(packetId);
        }
        return header;
    }

    /** MQTT 3.1.1 has no packet for a server to say why it disconnects: the socket is closed. */
    @Override
    public void disconnect(ErrorCode code, String message) {
        channel.close();
    }

    private record InFlight(String appId, MessageId messageId, long broadcastSeq) {
    }
}

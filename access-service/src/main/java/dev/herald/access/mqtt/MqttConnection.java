package dev.herald.access.mqtt;

import dev.herald.access.device.DeviceSessions;
import dev.herald.access.session.BroadcastCursors;
import dev.herald.access.session.DeviceConnection;
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
 * {@value #WINDOW} QoS 1 publishes are in flight (without PUBACK); further pushes wait in the connection's
 * {@link PublishQueue} and go out, in order, as PUBACKs free packet ids. A push the full queue has no room
 * for is dropped if online-only (counted) or left to the backlog if stored; a stored broadcast left there
 * holds the connection's broadcast cursor below it, so that acknowledging later broadcasts does not skip
 * it. The window is allocated with the first QoS 1 publish and the queue only while something waits, so
 * an idle connection holds neither. All state is touched on the channel's event loop only.
 */
final class MqttConnection implements DeviceConnection {

    static final int WINDOW = 64;
    private static final int NONE = -1;

    private final Channel channel;
    private final DeviceSessions sessions;
    private final PublishQueues queues;
    private final String deviceId;
    private final List<String> appIds;
    private final byte[] unicastQos;
    private final byte[] broadcastQos;
    private final boolean[] replayed;
    /** Allocated with the first QoS 1 publish: an idle connection (or a QoS 0 one) holds no window. */
    private InFlight[] inFlight;
    private int nextSlot;
    /** Pushes waiting for a packet id; {@code null} while none waits. */
    private PublishQueue queue;
    /** Whether PUBACKs let queued pushes out since the last flush. */
    private boolean unflushed;
    private DeviceSessions.Opened opened;

    MqttConnection(Channel channel, DeviceSessions sessions, PublishQueues queues, String deviceId,
                   List<String> appIds) {
        this.channel = channel;
        this.sessions = sessions;
        this.queues = queues;
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

    /** @return whether the push was written or queued to be written */
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
        if (qos == 0) {
            publish(encoded, 0, 0);
            sessions.ack(session(), push.appId(), push.messageId(), push.broadcast() ? push.broadcastSeq() : 0);
            return true;
        }
        // Behind whatever already waits, so that pushes go out in the order they came.
        int slot = queue == null ? freeSlot() : NONE;
        if (slot != NONE) {
            publishQos1(encoded, slot);
            return true;
        }
        if (queue == null) {
            queue = queues.create();
        }
        PublishQueue.Offer offer = queue.offer(encoded, queues::dropped);
        if (offer == PublishQueue.Offer.QUEUED) {
            return true;
        }
        if (offer == PublishQueue.Offer.DROPPED) {
            queues.dropped(encoded);
        } else {
            leftToBacklog(encoded);
        }
        if (queue.isEmpty()) {
            queue = null;
        }
        return false;
    }

    /** A PUBACK from the device: the push is delivered, and the oldest waiting push takes its packet id. */
    void puback(int packetId) {
        int slot = packetId - 1;
        if (inFlight == null || slot < 0 || slot >= WINDOW || inFlight[slot] == null) {
            return;
        }
        InFlight done = inFlight[slot];
        inFlight[slot] = null;
        long cursor = done.broadcastSeq();
        BroadcastCursors cursors = session().broadcastCursorsIfAny();
        if (cursors != null && cursor > 0) {
            cursor = cursors.bounded(appIds.indexOf(done.appId()), cursor);
        }
        sessions.ack(session(), done.appId(), done.messageId(), cursor);
        if (queue != null) {
            // Sent even if its topic was unsubscribed meanwhile: MQTT 3.1.1 §3.10.4 lets a server deliver
            // what it had buffered.
            EncodedPush next = queue.poll();
            if (queue.isEmpty()) {
                queue = null;
            }
            try {
                publishQos1(next, slot);
            } finally {
                next.release();
            }
            unflushed = true;
        }
    }

    /** Flushes what PUBACKs let out of the queue; called once per read of the socket. */
    void flushReleased() {
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    /** The connection ended: what still waits is never sent. Online-only pushes among it count as dropped. */
    void closed() {
        if (queue != null) {
            PublishQueue waiting = queue;
            queue = null;
            waiting.clear(push -> {
                if (!push.stored()) {
                    queues.dropped(push);
                }
            });
        }
    }

    /**
     * A stored push stays in the backlog. A broadcast's sequence also holds the cursor below it: the saver
     * replays what lies after the cursor, and this connection may still deliver later broadcasts.
     */
    private void leftToBacklog(EncodedPush encoded) {
        Frame.Push push = encoded.push();
        if (push.broadcastSeq() > 0) {
            session().broadcastCursors(System.currentTimeMillis())
                    .notDelivered(appIds.indexOf(push.appId()), push.broadcastSeq());
        }
        queues.leftToBacklog(encoded);
    }

    private void publishQos1(EncodedPush encoded, int slot) {
        Frame.Push push = encoded.push();
        inFlight[slot] = new InFlight(push.appId(), push.messageId(), push.broadcast() ? push.broadcastSeq() : 0);
        publish(encoded, 1, slot + 1);
    }

    private void publish(EncodedPush encoded, int qos, int packetId) {
        Frame.Push push = encoded.push();
        String topic = push.broadcast() ? MqttTopics.broadcast(push.appId()) : MqttTopics.device(push.appId(), deviceId);
        ByteBuf payload = encoded.payload();
        channel.write(header(topic, qos, packetId, payload.readableBytes()), channel.voidPromise());
        channel.write(payload, channel.voidPromise());
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

package dev.herald.access.room;

import dev.herald.core.limit.LeanTokenBucket;
import dev.herald.access.AccessProperties;
import dev.herald.access.session.DeviceConnection;
import dev.herald.access.session.Session;
import dev.herald.core.app.Ids;
import dev.herald.core.room.RoomMessage;
import dev.herald.core.room.RoomRef;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The room frames of a connection, whatever transport carried them: ROOM_JOIN, ROOM_LEAVE and ROOM_SEND, each
 * answered with one ROOM_ACK or ERROR of the same seq; and the end of a connection, which leaves all its rooms.
 * Called on the connection's event loop; asynchronous answers come back to it.
 *
 * <p>A join adds the member locally first (it then holds the room's live messages), records it in Redis with
 * the room's history in the same round, and then writes ROOM_ACK JOINED, the history and the held messages, in
 * the room's order.
 */
@Component
public final class RoomRequests {

    private static final Logger log = LoggerFactory.getLogger(RoomRequests.class);

    private final LocalRooms rooms;
    private final MembershipRecorder recorder;
    private final RoomSends sends;
    private final RoomMeters metrics;
    private final AccessProperties.Room settings;

    public RoomRequests(AccessProperties properties, LocalRooms rooms, MembershipRecorder recorder, RoomSends sends,
                        RoomMeters metrics) {
        this.rooms = rooms;
        this.recorder = recorder;
        this.sends = sends;
        this.metrics = metrics;
        this.settings = properties.room();
    }

    public void join(Session session, Frame.RoomJoin join) {
        DeviceConnection connection = session.connection();
        Channel channel = connection.channel();
        String refusal = refusal(session, join.appId(), join.roomId());
        if (refusal != null) {
            error(channel, join.seq(), ErrorCode.ROOM_REJECTED, refusal);
            return;
        }
        RoomRef room = new RoomRef(join.appId(), join.roomId());
        RoomMember existing = rooms.member(connection, room);
        if (existing == null && rooms.roomCount(connection) >= settings.maxRoomsPerConnection()) {
            error(channel, join.seq(), ErrorCode.ROOM_REJECTED, "a connection may be in at most "
                    + settings.maxRoomsPerConnection() + " rooms");
            return;
        }
        RoomMember member = existing;
        if (member == null) {
            member = new RoomMember(room, session.deviceId(), connection,
                    new LeanTokenBucket(settings.memberSendRate(), settings.memberSendBurst(), System.nanoTime()));
            RoomMember replaced = rooms.add(member);
            if (replaced != null) {
                // The device's older connection on this node: it stops receiving the room (on its own loop).
                onLoop(replaced.connection.channel(), () -> {
                    replaced.remove();
                    rooms.forget(replaced);
                });
            }
        }
        int history = existing != null ? 0 : Math.min(join.historyLimit(), settings.historyOnJoin());
        RoomMember joining = member;
        recorder.join(room, session.deviceId(), history).whenComplete((joined, error) ->
                onLoop(channel, () -> joined(joining, existing != null, join.seq(), joined, error)));
    }

    private void joined(RoomMember member, boolean again, int requestSeq, MembershipRecorder.Joined joined,
                        Throwable error) {
        Channel channel = member.connection.channel();
        if (member.removed() || joined == MembershipRecorder.Joined.SUPERSEDED) {
            if (!again) {
                error(channel, requestSeq, ErrorCode.ROOM_REJECTED, "left or replaced before the join completed");
            }
            return;
        }
        if (error != null || joined.banned()) {
            if (!again) {
                member.remove();
                rooms.remove(member);
            }
            if (error != null) {
                error(channel, requestSeq, ErrorCode.ROOM_REJECTED, "the membership could not be recorded; join again");
            } else {
                error(channel, requestSeq, ErrorCode.ROOM_KICKED, "kicked from room " + member.room.roomId()
                        + "; you may join again from " + Instant.ofEpochMilli(joined.bannedUntil()));
            }
            return;
        }
        channel.write(new Frame.RoomAck(requestSeq, Frame.RoomAck.Kind.JOINED, ErrorCode.OK, member.room.appId(),
                member.room.roomId(), again ? member.lastSeq() : joined.roomSeq(), joined.memberCount(), null),
                channel.voidPromise());
        long upTo = joined.roomSeq();
        int written = 0;
        for (RoomMessage message : joined.history()) {
            channel.write(frame(message, Frame.RoomMessage.FLAG_HISTORY), channel.voidPromise());
            upTo = Math.max(upTo, message.seq());
            written++;
        }
        if (member.joining()) {
            written += member.joined(upTo);
        }
        channel.flush();
        metrics.roomMessages(written);
    }

    public void leave(Session session, Frame.RoomLeave leave) {
        Channel channel = session.connection().channel();
        RoomMember member = rooms.member(session.connection(), new RoomRef(leave.appId(), leave.roomId()));
        if (member == null) {
            error(channel, leave.seq(), ErrorCode.NOT_IN_ROOM, "not in room " + leave.roomId());
            return;
        }
        leave(member);
        channel.writeAndFlush(new Frame.RoomAck(leave.seq(), Frame.RoomAck.Kind.LEFT, ErrorCode.OK, leave.appId(),
                leave.roomId(), 0, 0, null), channel.voidPromise());
    }

    public void send(Session session, Frame.RoomSend send) {
        Channel channel = session.connection().channel();
        RoomMember member = rooms.member(session.connection(), new RoomRef(send.appId(), send.roomId()));
        if (member == null) {
            metrics.roomSend("not_in_room");
            error(channel, send.seq(), ErrorCode.NOT_IN_ROOM, "not in room " + send.roomId() + "; join it first");
        } else if (send.payload().length == 0 || send.payload().length > settings.maxPayloadBytes()) {
            metrics.roomSend("room_rejected");
            error(channel, send.seq(), ErrorCode.ROOM_REJECTED, "the payload must be 1 to "
                    + settings.maxPayloadBytes() + " bytes, not " + send.payload().length);
        } else if (!member.allowance().tryTake(System.nanoTime())) {
            metrics.roomSend("room_rate_limited");
            error(channel, send.seq(), ErrorCode.ROOM_RATE_LIMITED, "over your send rate of "
                    + settings.memberSendRate() + "/s in room " + send.roomId() + "; send later");
        } else {
            sends.send(channel, send.seq(), member, send.payload());
        }
    }

    /** The connection ended: it leaves every room it was in. */
    public void closed(DeviceConnection connection) {
        for (RoomMember member : rooms.of(connection)) {
            leave(member);
        }
    }

    /** The app removed the device from the room (kick); the membership in Redis is already gone. */
    void removedByApp(RoomRef room, String deviceId) {
        RoomMember member = rooms.find(room, deviceId);
        if (member == null) {
            return;
        }
        Channel channel = member.connection.channel();
        onLoop(channel, () -> {
            if (member.removed()) {
                return;
            }
            member.remove();
            rooms.remove(member);
            channel.writeAndFlush(new Frame.RoomAck(0, Frame.RoomAck.Kind.REMOVED, ErrorCode.ROOM_KICKED,
                    room.appId(), room.roomId(), 0, 0, null), channel.voidPromise());
        });
    }

    private void leave(RoomMember member) {
        member.remove();
        if (rooms.remove(member)) {
            recorder.leave(member.room, member.deviceId);
        }
    }

    static Frame.RoomMessage frame(RoomMessage message, int flags) {
        return new Frame.RoomMessage(0, flags, MessageId.parse(message.messageId()), message.appId(), message.roomId(),
                message.seq(), message.senderId(), message.sentAt(), message.payload());
    }

    private static String refusal(Session session, String appId, String roomId) {
        if (!session.appIds().contains(appId)) {
            return "app " + appId + " is not logged in on this connection";
        }
        if (!Ids.isRoomId(roomId)) {
            return "room id must match " + Ids.ROOM_ID_PATTERN;
        }
        return null;
    }

    private static void error(Channel channel, int seq, ErrorCode code, String message) {
        channel.writeAndFlush(new Frame.ErrorFrame(seq, code, message), channel.voidPromise());
    }

    private static void onLoop(Channel channel, Runnable task) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("event loop of {} is gone; room task dropped", channel);
            }
        }
    }
}

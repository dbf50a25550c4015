package dev.herald.access.room;

import dev.herald.access.session.EncodedRoomMessage;
import dev.herald.access.write.Outboxes;
import dev.herald.core.room.RoomDelivery;
import dev.herald.core.room.RoomMessage;
import io.netty.buffer.ByteBufAllocator;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the room sequencer sent this node: each room message is encoded once as a ROOM_MESSAGE frame and
 * written to every local member of its room through the same {@link Outboxes} as broadcasts (one task per event
 * loop, one write per member, one flush per connection); answers to sends go to their senders; kicked members are
 * removed.
 */
@Component
public final class RoomDeliveries {

    private static final Logger log = LoggerFactory.getLogger(RoomDeliveries.class);

    private final LocalRooms rooms;
    private final RoomSends sends;
    private final RoomRequests requests;
    private final RoomMeters metrics;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    public RoomDeliveries(LocalRooms rooms, RoomSends sends, RoomRequests requests, RoomMeters metrics) {
        this.rooms = rooms;
        this.sends = sends;
        this.requests = requests;
        this.metrics = metrics;
    }

    /** Called by the delivery stream reader, in stream order. */
    public void deliver(RoomDelivery delivery) {
        Outboxes outboxes = new Outboxes(metrics::roomMessages);
        for (RoomMessage message : delivery.messages()) {
            Collection<RoomMember> members = rooms.members(message.room());
            if (members.isEmpty()) {
                continue;
            }
            EncodedRoomMessage encoded;
            try {
                encoded = EncodedRoomMessage.encode(alloc, RoomRequests.frame(message, 0));
            } catch (IllegalArgumentException e) {
                log.warn("room message {} of {} cannot be encoded; skipped: {}", message.messageId(), message.room(),
                        e.getMessage());
                continue;
            }
            try {
                for (RoomMember member : members) {
                    EncodedRoomMessage retained = encoded.retain();
                    outboxes.add(member.connection.channel(), new Outboxes.Write() {
                        @Override
                        public boolean write() {
                            try {
                                return member.deliver(retained);
                            } finally {
                                retained.release();
                            }
                        }

                        @Override
                        public void discard() {
                            retained.release();
                        }
                    });
                }
            } finally {
                encoded.release();
            }
        }
        outboxes.submit();
        delivery.results().forEach(sends::result);
        for (RoomDelivery.Removal removal : delivery.removals()) {
            requests.removedByApp(new dev.herald.core.room.RoomRef(removal.appId(), removal.roomId()),
                    removal.deviceId());
        }
    }
}

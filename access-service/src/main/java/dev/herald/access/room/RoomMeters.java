package dev.herald.access.room;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The meters of rooms on this node (docs/operations.md has the node's whole taxonomy):
 * {@code herald.access.rooms.members} and {@code herald.access.rooms} (gauges: memberships and rooms on this
 * node), {@code herald.access.rooms.messages} (ROOM_MESSAGE frames written, history included: one per member per
 * message), {@code herald.access.rooms.sends{result}}.
 */
@Component
public final class RoomMeters {

    private final MeterRegistry registry;
    private final Counter roomMessages;

    public RoomMeters(MeterRegistry registry, LocalRooms rooms) {
        Gauge.builder("herald.access.rooms.members", rooms, LocalRooms::memberCount)
                .description("Room memberships of connections on this node").register(registry);
        Gauge.builder("herald.access.rooms", rooms, LocalRooms::roomCount)
                .description("Rooms with members on this node").register(registry);
        this.roomMessages = Counter.builder("herald.access.rooms.messages")
                .description("ROOM_MESSAGE frames written to members").register(registry);
        this.registry = registry;
    }

    public void roomMessages(int count) {
        roomMessages.increment(count);
    }

    /** A ROOM_SEND by {@code result}: sent, or the lower-case name of the error code that answered it. */
    public void roomSend(String result) {
        Counter.builder("herald.access.rooms.sends")
                .description("ROOM_SEND frames from members, by result")
                .tag("result", result)
                .register(registry)
                .increment();
    }
}

package dev.herald.access.room;

import dev.herald.access.session.DeviceConnection;
import dev.herald.core.room.RoomRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The rooms that have members on this node: {@code room → (device → member)}, the map a room message is fanned
 * out over, and each connection's memberships, for leave-on-disconnect. A device has at most one member per room
 * on the node (a newer connection of the device replaces the older one's, as sessions do).
 *
 * <p>When a room gains its first local member or loses its last, the change is told to the
 * {@link MembershipRecorder} inside the map's per-key lock, so the recorded "node hosts room" follows the
 * local truth in order.
 */
@Component
public final class LocalRooms {

    private final MembershipRecorder recorder;
    private final ConcurrentHashMap<RoomRef, ConcurrentHashMap<String, RoomMember>> rooms = new ConcurrentHashMap<>();
    /** Lists are changed on their connection's event loop only. */
    private final ConcurrentHashMap<DeviceConnection, List<RoomMember>> byConnection = new ConcurrentHashMap<>();
    private final AtomicInteger members = new AtomicInteger();

    public LocalRooms(MembershipRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * Adds {@code member} (called on its connection's event loop).
     *
     * @return the member of the same device it replaces, on another connection, or {@code null}
     */
    RoomMember add(RoomMember member) {
        RoomMember[] replaced = new RoomMember[1];
        rooms.compute(member.room, (room, devices) -> {
            ConcurrentHashMap<String, RoomMember> map = devices;
            if (map == null) {
                map = new ConcurrentHashMap<>();
                recorder.hosting(room, true);
            }
            replaced[0] = map.put(member.deviceId, member);
            return map;
        });
        byConnection.computeIfAbsent(member.connection, c -> new ArrayList<>(2)).add(member);
        if (replaced[0] == null) {
            members.incrementAndGet();
        }
        return replaced[0];
    }

    /**
     * Removes {@code member} from the room if it is still the device's member there (called on the member's
     * event loop). Returns whether it was: only then has the device left the room on this node.
     */
    boolean remove(RoomMember member) {
        boolean[] removed = new boolean[1];
        rooms.computeIfPresent(member.room, (room, devices) -> {
            removed[0] = devices.remove(member.deviceId, member);
            if (devices.isEmpty()) {
                recorder.hosting(room, false);
                return null;
            }
            return devices;
        });
        forget(member);
        if (removed[0]) {
            members.decrementAndGet();
        }
        return removed[0];
    }

    /** Drops {@code member} from its connection's list (it was replaced, or removed). */
    void forget(RoomMember member) {
        byConnection.computeIfPresent(member.connection, (c, list) -> {
            list.remove(member);
            return list.isEmpty() ? null : list;
        });
    }

    /** The connection's member of {@code room}, or {@code null}. */
    RoomMember member(DeviceConnection connection, RoomRef room) {
        List<RoomMember> list = byConnection.get(connection);
        if (list != null) {
            for (RoomMember member : list) {
                if (member.room.equals(room)) {
                    return member;
                }
            }
        }
        return null;
    }

    /** A copy of the connection's memberships. */
    List<RoomMember> of(DeviceConnection connection) {
        List<RoomMember> list = byConnection.get(connection);
        return list == null ? List.of() : List.copyOf(list);
    }

    int roomCount(DeviceConnection connection) {
        List<RoomMember> list = byConnection.get(connection);
        return list == null ? 0 : list.size();
    }

    /** A live view of the room's members on this node. */
    Collection<RoomMember> members(RoomRef room) {
        ConcurrentHashMap<String, RoomMember> devices = rooms.get(room);
        return devices == null ? Collections.emptyList() : devices.values();
    }

    RoomMember find(RoomRef room, String deviceId) {
        ConcurrentHashMap<String, RoomMember> devices = rooms.get(room);
        return devices == null ? null : devices.get(deviceId);
    }

    /** Room memberships on this node. */
    public int memberCount() {
        return members.get();
    }

    /** Rooms with members on this node. */
    public int roomCount() {
        return rooms.size();
    }
}

package dev.herald.core.room;

import dev.herald.core.app.Ids;

/**
 * One room: a room id within an app. {@link #key()} names it in one string ({@code app/room}: app ids have
 * no {@code /}), as members of {@code h:node-rooms:{node}}.
 */
public record RoomRef(String appId, String roomId) {

    public String key() {
        return appId + "/" + roomId;
    }

    /** The room named by {@link #key()}, or {@code null} when the string is not one. */
    public static RoomRef parse(String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash < 0) {
            return null;
        }
        RoomRef room = new RoomRef(key.substring(0, slash), key.substring(slash + 1));
        return Ids.isAppId(room.appId) && Ids.isRoomId(room.roomId) ? room : null;
    }

    @Override
    public String toString() {
        return key();
    }
}

package dev.herald.chatroom.room;

/** A request about a member who is not one; answered 404. */
final class RoomNotFound extends RuntimeException {
    RoomNotFound(String message) {
        super(message, null, false, false);
    }
}

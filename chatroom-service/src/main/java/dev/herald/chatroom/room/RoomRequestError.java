package dev.herald.chatroom.room;

/** A malformed internal request (push-api validates first, so this means a caller bug); answered 400. */
final class RoomRequestError extends RuntimeException {
    RoomRequestError(String message) {
        super(message, null, false, false);
    }
}

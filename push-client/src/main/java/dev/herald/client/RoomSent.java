package dev.herald.client;

import dev.herald.protocol.MessageId;

/** A room message the room has ordered: its id and its place in the room's order. */
public record RoomSent(MessageId id, long roomSeq) {
}

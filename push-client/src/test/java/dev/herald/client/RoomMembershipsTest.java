package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RoomMembershipsTest {

    private final RecordingListener recorded = new RecordingListener();
    private final RoomMemberships rooms = new RoomMemberships(new GuardedListener(recorded, "device-1"), "device-1");
    /** The requests a rejoin sent, each as written with seq 7, and their pending answers. */
    private final List<Frame> sent = new ArrayList<>();
    private final List<CompletableFuture<Frame.RoomAck>> answers = new ArrayList<>();

    private void rejoin() {
        sent.clear();
        answers.clear();
        rooms.rejoin((request, answer) -> {
            sent.add(request.apply(7));
            answers.add(answer);
        });
    }

    @Test
    void aRoomMessageAtOrBelowTheNewestSeqOfItsRoomIsNotPassedTwice() {
        rooms.message(message("lobby", 3));
        rooms.message(message("lobby", 3));
        rooms.message(message("lobby", 2));
        rooms.message(message("other", 1));
        rooms.message(message("lobby", 4));

        assertThat(recorded.roomMessages).extracting(m -> m.roomId() + "#" + m.roomSeq())
                .containsExactly("lobby#3", "other#1", "lobby#4");
    }

    @Test
    void rejoinAsksAgainForEachRoomJoinedWithItsHistoryLimitButNotForOneLeft() {
        rooms.joined("demo", "lobby", 5);
        rooms.joined("demo", "gone", 0);
        rooms.left("demo", "gone");

        rejoin();

        assertThat(sent).containsExactly(new Frame.RoomJoin(7, "demo", "lobby", 5));
    }

    @Test
    void aRoomThatKickedTheDeviceIsForgottenAndReportedOtherFailuresAreKept() {
        rooms.joined("demo", "banned", 0);
        rejoin();
        answers.get(0).completeExceptionally(new PushClientException(ErrorCode.ROOM_KICKED, "banned"));

        assertThat(recorded.events).containsExactly("removed:demo/banned:ROOM_KICKED");
        rejoin();
        assertThat(sent).isEmpty();

        rooms.joined("demo", "busy", 0);
        rejoin();
        answers.get(0).completeExceptionally(new PushClientException(ErrorCode.ROOM_REJECTED, "not connected"));
        rejoin();
        assertThat(sent).containsExactly(new Frame.RoomJoin(7, "demo", "busy", 0));
    }

    @Test
    void aRoomTheServerRemovedTheDeviceFromIsForgottenAndReported() {
        rooms.joined("demo", "lobby", 5);

        rooms.removed("demo", "lobby", ErrorCode.ROOM_KICKED);
        rejoin();

        assertThat(sent).isEmpty();
        assertThat(recorded.events).containsExactly("removed:demo/lobby:ROOM_KICKED");
    }

    private static Frame.RoomMessage message(String roomId, long roomSeq) {
        return new Frame.RoomMessage(0, 0, MessageId.generate(), "demo", roomId, roomSeq, "device-2", 0,
                "hi".getBytes(StandardCharsets.UTF_8));
    }
}

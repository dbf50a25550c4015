package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PushReceiverTest {

    private static final MessageId A = new MessageId(1, 1);
    private static final MessageId B = new MessageId(1, 2);

    private final RecordingListener recorded = new RecordingListener();
    private final BroadcastCursors cursors = new BroadcastCursors(List.of("demo"), Map.of());
    private final AckBatch acks = new AckBatch();
    private final AtomicInteger seq = new AtomicInteger();

    private PushReceiver receiver(int dedupWindow, boolean autoAck, PushListener listener) {
        return new PushReceiver(new GuardedListener(listener, "device-1"), new RecentIds(dedupWindow), cursors, autoAck);
    }

    @Test
    void aRedeliveryWithinTheWindowIsAcknowledgedAgainWithoutReachingTheListener() {
        PushReceiver receiver = receiver(16, true, recorded);

        receiver.receive(unicast(A), acks);
        receiver.receive(unicast(A), acks);

        assertThat(recorded.pushes).extracting(PushMessage::id).containsExactly(A);
        assertThat(receiver.duplicatesDropped()).isEqualTo(1);
        assertThat(acks.drain(seq::incrementAndGet)).containsExactly(new Frame.Ack(1, List.of(A, A), List.of()));
    }

    @Test
    void anIdPushedOutOfTheWindowReachesTheListenerAgain() {
        PushReceiver receiver = receiver(1, true, recorded);

        receiver.receive(unicast(A), acks);
        receiver.receive(unicast(B), acks);
        receiver.receive(unicast(A), acks);

        assertThat(recorded.pushes).extracting(PushMessage::id).containsExactly(A, B, A);
        assertThat(receiver.duplicatesDropped()).isZero();
    }

    @Test
    void aPushTheListenerThrewOnIsNeitherRememberedNorAcknowledged() {
        AtomicInteger calls = new AtomicInteger();
        PushReceiver receiver = receiver(16, true, new PushListener() {
            @Override
            public void onPush(PushMessage message) {
                calls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }
        });

        receiver.receive(broadcast(A, 5), acks);
        receiver.receive(broadcast(A, 5), acks);

        assertThat(calls).hasValue(2);
        assertThat(acks.isEmpty()).isTrue();
        assertThat(cursors.get("demo")).isZero();
    }

    @Test
    void aBroadcastMovesItsAppsCursorForwardAndTheAckCarriesIt() {
        PushReceiver receiver = receiver(16, true, recorded);

        receiver.receive(broadcast(A, 5), acks);
        receiver.receive(broadcast(B, 3), acks);

        assertThat(cursors.get("demo")).isEqualTo(5);
        assertThat(acks.drain(seq::incrementAndGet)).containsExactly(
                new Frame.Ack(1, List.of(A, B), List.of(new Frame.Cursor("demo", 5))));
        assertThat(recorded.pushes).extracting(PushMessage::broadcastSeq).containsExactly(5L, 3L);
    }

    @Test
    void withoutAutoAckNothingIsAcknowledgedButTheCursorStillMoves() {
        PushReceiver receiver = receiver(16, false, recorded);

        receiver.receive(broadcast(A, 5), acks);

        assertThat(acks.isEmpty()).isTrue();
        assertThat(cursors.get("demo")).isEqualTo(5);
        assertThat(recorded.pushes).hasSize(1);
    }

    private static Frame.Push unicast(MessageId id) {
        return new Frame.Push(0, 0, id, "demo", 0, "hi".getBytes(StandardCharsets.UTF_8));
    }

    private static Frame.Push broadcast(MessageId id, long broadcastSeq) {
        return new Frame.Push(0, Frame.Push.FLAG_BROADCAST, id, "demo", broadcastSeq, "hi".getBytes(StandardCharsets.UTF_8));
    }
}

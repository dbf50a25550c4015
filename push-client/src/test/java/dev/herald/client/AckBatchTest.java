package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AckBatchTest {

    private final AtomicInteger seq = new AtomicInteger();
    private final AckBatch batch = new AckBatch();

    @Test
    void emptyBatchSendsNothing() {
        assertThat(batch.drain(seq::incrementAndGet)).isEmpty();
    }

    @Test
    void idsAndTheHighestCursorPerAppGoInOneFrame() {
        MessageId a = new MessageId(1, 1);
        MessageId b = new MessageId(1, 2);
        batch.add(a);
        batch.add(b);
        batch.cursor("demo", 3);
        batch.cursor("demo", 7);
        batch.cursor("news", 1);

        assertThat(batch.drain(seq::incrementAndGet)).containsExactly(new Frame.Ack(1, List.of(a, b),
                List.of(new Frame.Cursor("demo", 7), new Frame.Cursor("news", 1))));
        assertThat(batch.isEmpty()).isTrue();
    }

    @Test
    void cursorsAloneMakeAFrame() {
        batch.cursor("demo", 2);

        assertThat(batch.drain(seq::incrementAndGet)).containsExactly(new Frame.Ack(1, List.of(), List.of(new Frame.Cursor("demo", 2))));
    }

    @Test
    void moreIdsThanOneFrameMaySpreadOverSeveralWithCursorsOnTheLast() {
        int total = FrameCodec.MAX_IDS_PER_ACK + 10;
        for (int i = 0; i < total; i++) {
            batch.add(new MessageId(0, i));
        }
        batch.cursor("demo", 5);

        List<Frame.Ack> frames = batch.drain(seq::incrementAndGet);

        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).messageIds()).hasSize(FrameCodec.MAX_IDS_PER_ACK);
        assertThat(frames.get(0).cursors()).isEmpty();
        assertThat(frames.get(1).messageIds()).hasSize(10).last().isEqualTo(new MessageId(0, total - 1));
        assertThat(frames.get(1).cursors()).containsExactly(new Frame.Cursor("demo", 5));
        assertThat(frames).extracting(Frame.Ack::seq).containsExactly(1, 2);
    }
}

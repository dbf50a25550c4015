package dev.herald.access.room;

import dev.herald.core.limit.LeanTokenBucket;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.access.nativeprotocol.NativeConnection;
import dev.herald.access.session.EncodedRoomMessage;
import dev.herald.core.room.RoomRef;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-member seq guard and the hold while joining, on an embedded channel. */
class RoomMemberTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final RoomMember member = new RoomMember(new RoomRef("demo", "lobby"), "d1", new NativeConnection(channel),
            new LeanTokenBucket(1, 1, 0));
    private final List<EncodedRoomMessage> created = new ArrayList<>();

    @AfterEach
    void release() {
        created.forEach(EncodedRoomMessage::release);
        channel.finishAndReleaseAll();
    }

    private EncodedRoomMessage message(long seq) {
        EncodedRoomMessage m = EncodedRoomMessage.encode(ByteBufAllocator.DEFAULT, new Frame.RoomMessage(0, 0,
                MessageId.generate(), "demo", "lobby", seq, "", 1, new byte[] {(byte) seq}));
        created.add(m);
        return m;
    }

    private List<Long> written() {
        List<Long> seqs = new ArrayList<>();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            try {
                out.skipBytes(FrameCodec.LENGTH_FIELD_BYTES);
                seqs.add(((Frame.RoomMessage) FrameCodec.decode(out)).roomSeq());
            } finally {
                out.release();
            }
        }
        return seqs;
    }

    @Test
    void whileJoiningMessagesAreHeldThenOnlyThoseAfterTheHistoryAreWrittenInOrder() {
        assertThat(member.deliver(message(4))).isFalse();
        assertThat(member.deliver(message(5))).isFalse();
        assertThat(member.deliver(message(6))).isFalse();

        // The history covered up to 4: 5 and 6 follow, 4 is not written twice.
        assertThat(member.joined(4)).isEqualTo(2);
        channel.flush();
        assertThat(written()).containsExactly(5L, 6L);
        assertThat(member.lastSeq()).isEqualTo(6);
    }

    @Test
    void aMessageNotNewerThanTheLastWrittenIsDropped() {
        member.joined(0);
        assertThat(member.deliver(message(1))).isTrue();
        assertThat(member.deliver(message(1))).isFalse();
        assertThat(member.deliver(message(3))).isTrue();
        assertThat(member.deliver(message(2))).isFalse();
        channel.flush();
        assertThat(written()).containsExactly(1L, 3L);
    }

    @Test
    void aRemovedMemberGetsNothingAndReleasesWhatItHeld() {
        EncodedRoomMessage held = message(1);
        member.deliver(held);
        assertThat(held.nativeFrame().refCnt()).isEqualTo(2);
        member.remove();
        assertThat(held.nativeFrame().refCnt()).isEqualTo(1);
        assertThat(member.deliver(message(2))).isFalse();
        assertThat(written()).isEmpty();
    }
}

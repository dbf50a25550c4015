package dev.herald.saver.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.offline.OfflineApi.OfflineMessage;
import dev.herald.protocol.MessageId;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacklogOrderTest {

    @Test
    void mergeKeepsEachListsOrderAndInterleavesByCreationTime() {
        OfflineMessage u1 = unicast(1000);
        OfflineMessage u2 = unicast(3000);
        OfflineMessage b1 = broadcast(2000, 1);
        // Seq order wins over a creation time that went backwards between two producers.
        OfflineMessage b2 = broadcast(1500, 2);
        OfflineMessage b3 = broadcast(4000, 3);

        List<OfflineMessage> merged = BacklogReader.mergeByCreationTime(List.of(u1, u2), List.of(b1, b2, b3));

        assertThat(merged).containsExactly(u1, b1, b2, u2, b3);
    }

    @Test
    void pendingSnapshotParsesExpiredAndLiveIds() {
        OfflineCommands.PendingSnapshot snapshot = OfflineCommands.PendingSnapshot.parse(
                List.of("7", "2", "A", "1700000000000", "B", "1700000000001", "C"));

        assertThat(snapshot.cursor()).isEqualTo(7);
        assertThat(snapshot.expired()).containsExactly(new OfflineCommands.ExpiredEntry("A", 1700000000000L),
                new OfflineCommands.ExpiredEntry("B", 1700000000001L));
        assertThat(snapshot.live()).containsExactly("C");
    }

    private static OfflineMessage unicast(long createdAt) {
        return new OfflineMessage(id(createdAt), "demo", false, 0, new byte[0], Long.MAX_VALUE);
    }

    private static OfflineMessage broadcast(long createdAt, long seq) {
        return new OfflineMessage(id(createdAt), "demo", true, seq, new byte[0], Long.MAX_VALUE);
    }

    private static String id(long createdAt) {
        return new MessageId(createdAt << 16, createdAt).toString();
    }
}

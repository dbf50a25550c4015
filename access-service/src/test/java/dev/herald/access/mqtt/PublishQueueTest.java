package dev.herald.access.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.access.session.EncodedPush;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound of an MQTT connection's queue: what a full queue drops (its oldest online-only pushes, or
 * the one offered), what it never drops (stored pushes), and that every reference it took is given back.
 */
class PublishQueueTest {

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    /** Every push made here, with the one reference its creator owns. */
    private final List<EncodedPush> created = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();

    @AfterEach
    void everyReferenceTheQueueTookIsGivenBack() {
        for (EncodedPush push : created) {
            assertThat(push.nativeFrame().refCnt()).as("references of %s", text(push)).isEqualTo(1);
            push.release();
        }
    }

    private EncodedPush onlineOnly(String text) {
        return push(text, false);
    }

    private EncodedPush stored(String text) {
        return push(text, true);
    }

    private EncodedPush push(String text, boolean stored) {
        Frame.Push frame = new Frame.Push(0, 0, MessageId.generate(), "demo", 0, text.getBytes(StandardCharsets.UTF_8));
        EncodedPush push = EncodedPush.encode(alloc, frame, stored);
        created.add(push);
        return push;
    }

    private static String text(EncodedPush push) {
        return new String(push.push().payload(), StandardCharsets.UTF_8);
    }

    private PublishQueue.Offer offer(PublishQueue queue, EncodedPush push) {
        return queue.offer(push, evicted -> dropped.add(text(evicted)));
    }

    /** Polls everything, in order, releasing what the queue handed over. */
    private static List<String> drain(PublishQueue queue) {
        List<String> texts = new ArrayList<>();
        EncodedPush push;
        while ((push = queue.poll()) != null) {
            texts.add(text(push));
            push.release();
        }
        return texts;
    }

    @Test
    void pushesLeaveInTheOrderTheyCame() {
        PublishQueue queue = new PublishQueue(10, 1024);
        for (String text : List.of("a", "b", "c")) {
            assertThat(offer(queue, text.equals("b") ? stored(text) : onlineOnly(text))).isEqualTo(PublishQueue.Offer.QUEUED);
        }

        assertThat(queue.size()).isEqualTo(3);
        assertThat(drain(queue)).containsExactly("a", "b", "c");
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void aQueueFullByCountDropsItsOldestOnlineOnlyPushesAndKeepsTheStoredOnes() {
        PublishQueue queue = new PublishQueue(3, 1024);
        offer(queue, stored("s1"));
        offer(queue, onlineOnly("o1"));
        offer(queue, onlineOnly("o2"));

        assertThat(offer(queue, onlineOnly("o3"))).isEqualTo(PublishQueue.Offer.QUEUED);
        assertThat(offer(queue, stored("s2"))).isEqualTo(PublishQueue.Offer.QUEUED);

        assertThat(dropped).containsExactly("o1", "o2");
        assertThat(drain(queue)).containsExactly("s1", "o3", "s2");
    }

    @Test
    void aQueueFullByBytesDropsAsManyOldOnlineOnlyPushesAsTheNewOneNeeds() {
        PublishQueue queue = new PublishQueue(100, 10);
        offer(queue, onlineOnly("aaaa"));
        offer(queue, stored("bb"));
        offer(queue, onlineOnly("cccc"));

        assertThat(offer(queue, onlineOnly("dddddd"))).isEqualTo(PublishQueue.Offer.QUEUED);

        assertThat(dropped).containsExactly("aaaa", "cccc");
        assertThat(queue.bytes()).isEqualTo(8);
        assertThat(drain(queue)).containsExactly("bb", "dddddd");
    }

    @Test
    void aQueueFullOfStoredPushesDropsAnOnlineOnlyOneAndLeavesAStoredOneToTheBacklog() {
        PublishQueue queue = new PublishQueue(2, 1024);
        offer(queue, stored("s1"));
        offer(queue, stored("s2"));

        assertThat(offer(queue, onlineOnly("o1"))).isEqualTo(PublishQueue.Offer.DROPPED);
        assertThat(offer(queue, stored("s3"))).isEqualTo(PublishQueue.Offer.LEFT_TO_BACKLOG);

        // The offered pushes were not queued, so none was handed to the eviction callback either.
        assertThat(dropped).isEmpty();
        assertThat(drain(queue)).containsExactly("s1", "s2");
    }

    @Test
    void aPushLargerThanTheWholeBoundDropsNothingElse() {
        PublishQueue queue = new PublishQueue(100, 8);
        offer(queue, onlineOnly("aaaa"));

        assertThat(offer(queue, onlineOnly("123456789"))).isEqualTo(PublishQueue.Offer.DROPPED);
        assertThat(offer(queue, stored("123456789"))).isEqualTo(PublishQueue.Offer.LEFT_TO_BACKLOG);

        assertThat(dropped).isEmpty();
        assertThat(drain(queue)).containsExactly("aaaa");
    }

    @Test
    void aQueueOfNoneQueuesNothing() {
        PublishQueue queue = new PublishQueue(0, 1024);

        assertThat(offer(queue, onlineOnly("o"))).isEqualTo(PublishQueue.Offer.DROPPED);
        assertThat(offer(queue, stored("s"))).isEqualTo(PublishQueue.Offer.LEFT_TO_BACKLOG);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void clearHandsOverAndReleasesWhatWaits() {
        PublishQueue queue = new PublishQueue(10, 1024);
        offer(queue, onlineOnly("o1"));
        offer(queue, stored("s1"));
        List<String> left = new ArrayList<>();

        queue.clear(push -> left.add(text(push) + (push.stored() ? " stored" : "")));

        assertThat(left).containsExactly("o1", "s1 stored");
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void aBroadcastWithASequenceCountsAsStoredWhateverItsCommandSaid() {
        Frame.Push logged = new Frame.Push(0, Frame.Push.FLAG_BROADCAST, MessageId.generate(), "demo", 7, new byte[1]);
        Frame.Push replayed = new Frame.Push(0, Frame.Push.FLAG_REPLAY, MessageId.generate(), "demo", 0, new byte[1]);
        EncodedPush broadcast = EncodedPush.encode(alloc, logged, false);
        EncodedPush replay = EncodedPush.encode(alloc, replayed, false);
        created.add(broadcast);
        created.add(replay);

        assertThat(broadcast.stored()).isTrue();
        assertThat(replay.stored()).isTrue();
    }
}

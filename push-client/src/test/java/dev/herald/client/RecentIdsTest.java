package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.MessageId;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void remembersUpToItsCapacityAndForgetsTheOldestFirst() {
        RecentIds recent = new RecentIds(3);
        for (int i = 1; i <= 4; i++) {
            recent.add(new MessageId(0, i));
        }

        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.contains(new MessageId(0, 1))).isFalse();
        assertThat(recent.contains(new MessageId(0, 2))).isTrue();
        assertThat(recent.contains(new MessageId(0, 4))).isTrue();
    }

    @Test
    void addingAKnownIdChangesNothing() {
        RecentIds recent = new RecentIds(2);
        recent.add(new MessageId(0, 1));
        recent.add(new MessageId(0, 1));
        recent.add(new MessageId(0, 2));

        assertThat(recent.contains(new MessageId(0, 1))).isTrue();
        assertThat(recent.size()).isEqualTo(2);
    }

    @Test
    void capacityZeroRemembersNothing() {
        RecentIds recent = new RecentIds(0);
        recent.add(new MessageId(0, 1));

        assertThat(recent.contains(new MessageId(0, 1))).isFalse();
    }
}

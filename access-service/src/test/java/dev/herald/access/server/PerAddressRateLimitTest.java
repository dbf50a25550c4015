package dev.herald.access.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PerAddressRateLimitTest {

    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }

    @Test
    void eachAddressHasItsOwnBucketWithBurstAndRefill() throws Exception {
        PerAddressRateLimit limit = new PerAddressRateLimit(10, 2, 100);
        InetAddress a = address(1);
        InetAddress b = address(2);

        assertThat(limit.tryAcquire(a, 0)).isTrue();
        assertThat(limit.tryAcquire(a, 0)).isTrue();
        assertThat(limit.tryAcquire(a, 0)).as("burst of 2 used up").isFalse();
        assertThat(limit.tryAcquire(b, 0)).as("another address is not affected").isTrue();
        assertThat(limit.tryAcquire(a, TimeUnit.MILLISECONDS.toNanos(99))).as("not yet refilled").isFalse();
        assertThat(limit.tryAcquire(a, TimeUnit.MILLISECONDS.toNanos(100))).as("one token after 100 ms at 10/s").isTrue();
        assertThat(limit.tryAcquire(a, TimeUnit.SECONDS.toNanos(60))).isTrue();
        assertThat(limit.tryAcquire(a, TimeUnit.SECONDS.toNanos(60))).as("refill capped at the burst").isTrue();
        assertThat(limit.tryAcquire(a, TimeUnit.SECONDS.toNanos(60))).isFalse();
    }

    @Test
    void aMillionAddressesKeepAtMostTheTrackedNumber() throws Exception {
        PerAddressRateLimit limit = new PerAddressRateLimit(10, 2, 1000);
        for (int i = 0; i < 1_000_000; i++) {
            limit.tryAcquire(address(i), i);
        }
        assertThat(limit.tracked()).isEqualTo(1000);
    }

    @Test
    void aFloodingAddressKeptBusyStaysTrackedWhileOthersComeAndGo() throws Exception {
        PerAddressRateLimit limit = new PerAddressRateLimit(1, 1, 10);
        InetAddress flooder = address(0);
        assertThat(limit.tryAcquire(flooder, 0)).isTrue();
        for (int i = 1; i <= 100; i++) {
            limit.tryAcquire(address(i), 0);
            // Seen again and again: the most recently used entry is never the one forgotten.
            assertThat(limit.tryAcquire(flooder, 0)).isFalse();
        }
    }
}

package dev.herald.bench.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BenchPayloadTest {

    @Test
    void carriesKindRunSequenceAndSendTimeToTheMicrosecond() {
        Instant sent = Instant.parse("2026-11-25T10:00:00.123456789Z");
        byte[] payload = BenchPayload.encode(BenchPayload.BROADCAST, 0x1234, 42, sent, 64);

        assertThat(payload).hasSize(64);
        BenchPayload.Stamp stamp = BenchPayload.read(Unpooled.wrappedBuffer(payload));
        assertThat(stamp).isEqualTo(new BenchPayload.Stamp(BenchPayload.BROADCAST, 0x1234, 42,
                sent.getEpochSecond() * 1_000_000 + 123_456, 0));
    }

    @Test
    void aLateSendCarriesItsLagBehindTheSchedule() {
        Instant due = Instant.parse("2026-11-25T10:00:00Z");
        BenchPayload.Stamp stamp = BenchPayload.read(Unpooled.wrappedBuffer(
                BenchPayload.encode(BenchPayload.UNICAST, 1, 7, due, 2_500_000, 28)));

        assertThat(stamp.lagMicros()).isEqualTo(2_500_000);
        assertThat(stamp.actualSentMicros() - stamp.sentMicros()).isEqualTo(2_500_000);
    }

    @Test
    void neverShorterThanTheStamp() {
        assertThat(BenchPayload.encode(BenchPayload.UNICAST, 1, 1, Instant.now(), 1)).hasSize(BenchPayload.BYTES);
    }

    @Test
    void otherPayloadsAreNotStamps() {
        assertThat(BenchPayload.read(Unpooled.wrappedBuffer("hello from a real app server".getBytes()))).isNull();
        assertThat(BenchPayload.read(Unpooled.wrappedBuffer(new byte[3]))).isNull();
    }
}

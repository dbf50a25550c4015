package dev.herald.bench.worker;

import dev.herald.bench.clock.EpochMicros;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The payload of every message push-bench sends, so the receiving device knows what it got and when
 * it was sent, whatever process or machine sent it:
 *
 * <pre>
 * magic u16 "HB" | version u8 1 | kind u8 | runId i32 | seq i32 | due epoch seconds i64 | due nanos i32 | lag micros i32 | padding
 * </pre>
 *
 * "Due" is when the message should have been sent by the sender's schedule, "lag" how much later it
 * actually went out (0 when the sender kept up or sends unpaced): latency from the due time counts
 * the sender's backlog (no coordinated omission), latency from due + lag is that of Herald alone.
 *
 * Messages of other runs (a previous run's offline broadcasts replayed on connect) carry another run
 * id and are not counted.
 */
public final class BenchPayload {

    public static final int BYTES = 28;
    public static final int UNICAST = 0;
    public static final int BROADCAST = 1;
    /** Broadcasts that warm the path up; awaited, but not counted. */
    public static final int WARMUP = 2;

    private static final short MAGIC = 0x4842;
    private static final int VERSION = 1;

    /** What a received payload says: {@code sentMicros} is the due time, epoch micros. */
    public record Stamp(int kind, int runId, int seq, long sentMicros, int lagMicros) {

        /** When the message actually went out. */
        public long actualSentMicros() {
            return sentMicros + lagMicros;
        }
    }

    private BenchPayload() {
    }

    /** A payload of {@code max(size, 28)} bytes, sent on time. */
    public static byte[] encode(int kind, int runId, int seq, Instant sentAt, int size) {
        return encode(kind, runId, seq, sentAt, 0, size);
    }

    /** A payload of {@code max(size, 28)} bytes, due at {@code dueAt} and sent {@code lagMicros} later. */
    public static byte[] encode(int kind, int runId, int seq, Instant dueAt, long lagMicros, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, BYTES));
        b.putShort(MAGIC).put((byte) VERSION).put((byte) kind).putInt(runId).putInt(seq)
                .putLong(dueAt.getEpochSecond()).putInt(dueAt.getNano())
                .putInt((int) Math.min(Integer.MAX_VALUE, Math.max(0, lagMicros)));
        return b.array();
    }

    /** Reads the stamp without moving the buffer's indexes; {@code null} when it is not a push-bench payload. */
    public static Stamp read(ByteBuf payload) {
        int at = payload.readerIndex();
        if (payload.readableBytes() < BYTES || payload.getShort(at) != MAGIC || payload.getUnsignedByte(at + 2) != VERSION) {
            return null;
        }
        return new Stamp(payload.getUnsignedByte(at + 3), payload.getInt(at + 4), payload.getInt(at + 8),
                EpochMicros.of(payload.getLong(at + 12), payload.getInt(at + 20)), payload.getInt(at + 24));
    }
}

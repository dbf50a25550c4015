package dev.herald.bench.worker;

import dev.herald.bench.device.DeliverySink;
import dev.herald.bench.device.DeviceLogin;
import dev.herald.bench.report.HistogramCodec;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records what the devices of one process receive: latency of every delivery of this run (from the
 * due time in its {@link BenchPayload}, and from the actual send time), and per broadcast how many devices got it and when the last
 * one did. Called from every event loop thread at once: counters are adders, the histogram a
 * {@link Recorder}.
 */
public final class ReceiveLog implements DeliverySink {

    private final int runId;
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final LongAdder foreign = new LongAdder();
    private final LongAdder warmups = new LongAdder();
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong();
    private final Recorder latencies = new Recorder(3);
    private final Recorder fromSend = new Recorder(3);
    private final Histogram total = HistogramCodec.empty();
    private final Histogram totalFromSend = HistogramCodec.empty();
    private final Map<Integer, Receipt> broadcasts = new ConcurrentHashMap<>();
    private final Map<String, Integer> disconnects = new ConcurrentHashMap<>();

    public ReceiveLog(int runId) {
        this.runId = runId;
    }

    /** The run id the messages counted here carry. */
    public int runId() {
        return runId;
    }

    @Override
    public void delivered(ByteBuf payload, boolean replay, long receivedMicros) {
        BenchPayload.Stamp stamp = BenchPayload.read(payload);
        if (stamp == null || stamp.runId() != runId) {
            foreign.increment();
            return;
        }
        if (stamp.kind() == BenchPayload.WARMUP) {
            warmups.increment();
            return;
        }
        deliveries.increment();
        if (replay) {
            replays.increment();
        }
        first.accumulateAndGet(receivedMicros, Math::min);
        last.accumulateAndGet(receivedMicros, Math::max);
        latencies.recordValue(Math.max(0, receivedMicros - stamp.sentMicros()));
        fromSend.recordValue(Math.max(0, receivedMicros - stamp.actualSentMicros()));
        if (stamp.kind() == BenchPayload.BROADCAST) {
            broadcasts.computeIfAbsent(stamp.seq(), seq -> new Receipt(stamp.sentMicros())).add(receivedMicros);
        }
    }

    @Override
    public void disconnected(DeviceLogin login, String reason) {
        disconnects.merge(reason, 1, Integer::sum);
    }

    /** Deliveries of this run so far, warm-ups included (for progress while waiting on them). */
    public long received() {
        return deliveries.sum() + warmups.sum();
    }

    public synchronized ReceiveStats snapshot() {
        total.add(latencies.getIntervalHistogram());
        totalFromSend.add(fromSend.getIntervalHistogram());
        List<MessageReceipt> receipts = new ArrayList<>(broadcasts.size());
        broadcasts.forEach((seq, r) -> receipts.add(new MessageReceipt(seq, r.sentMicros, r.count.sum(),
                r.first.get(), r.last.get())));
        long firstMicros = first.get();
        return new ReceiveStats(deliveries.sum(), replays.sum(), foreign.sum(), warmups.sum(), Map.copyOf(disconnects),
                firstMicros == Long.MAX_VALUE ? 0 : firstMicros, last.get(), HistogramCodec.encode(total),
                HistogramCodec.encode(totalFromSend), receipts);
    }

    private static final class Receipt {
        final long sentMicros;
        final LongAdder count = new LongAdder();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong();

        Receipt(long sentMicros) {
            this.sentMicros = sentMicros;
        }

        void add(long micros) {
            count.increment();
            first.accumulateAndGet(micros, Math::min);
            last.accumulateAndGet(micros, Math::max);
        }
    }
}

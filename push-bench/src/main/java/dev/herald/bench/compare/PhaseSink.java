package dev.herald.bench.compare;

import dev.herald.bench.device.DeliverySink;
import dev.herald.bench.device.DeviceLogin;
import dev.herald.bench.worker.ReceiveLog;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The devices' sink for a whole comparison: each scenario {@link #begin}s a fresh {@link ReceiveLog} with a run
 * id of its own, so late deliveries of an earlier scenario carry another id and are not counted in the next.
 */
final class PhaseSink implements DeliverySink {

    private volatile ReceiveLog current = new ReceiveLog(0);
    private final Map<String, Integer> disconnects = new ConcurrentHashMap<>();

    ReceiveLog begin() {
        ReceiveLog log = new ReceiveLog(ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
        current = log;
        return log;
    }

    @Override
    public void delivered(ByteBuf payload, boolean replay, long receivedMicros) {
        current.delivered(payload, replay, receivedMicros);
    }

    @Override
    public void disconnected(DeviceLogin login, String reason) {
        disconnects.merge(reason, 1, Integer::sum);
    }

    Map<String, Integer> disconnects() {
        return new TreeMap<>(disconnects);
    }
}

package dev.herald.bench.device;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what devices received, for the handler tests (payloads copied: the transport releases them). */
final class RecordingSink implements DeliverySink {

    final List<byte[]> payloads = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();

    @Override
    public void delivered(ByteBuf payload, boolean replay, long receivedMicros) {
        payloads.add(ByteBufUtil.getBytes(payload));
    }

    @Override
    public void disconnected(DeviceLogin login, String reason) {
        disconnects.add(reason);
    }
}

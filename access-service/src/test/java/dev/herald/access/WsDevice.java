package dev.herald.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A device over the JDK's own WebSocket client, speaking native frames in binary messages. */
final class WsDevice implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    final String deviceId;
    final WebSocket socket;
    final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private int seq;

    WsDevice(String deviceId, int port) {
        this(deviceId, URI.create("ws://127.0.0.1:" + port + "/ws"), HttpClient.newHttpClient());
    }

    /** Over {@code wss://} when {@code client} has the SSL context that trusts the node. */
    WsDevice(String deviceId, URI uri, HttpClient client) {
        this.deviceId = deviceId;
        this.socket = client.newWebSocketBuilder()
                .subprotocols("herald.v1")
                .connectTimeout(WAIT)
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        partial.writeBytes(bytes);
                        if (last) {
                            ByteBuf message = Unpooled.wrappedBuffer(partial.toByteArray());
                            partial.reset();
                            assertThat(message.readInt()).as("length prefix").isEqualTo(message.readableBytes());
                            received.add(FrameCodec.decode(message));
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.complete(-1);
                    }
                })
                .join();
    }

    Frame.ConnAck connect(List<Frame.AppLogin> logins) {
        send(new Frame.Connect(++seq, 30, deviceId, logins));
        return next(Frame.ConnAck.class);
    }

    void send(Frame frame) {
        ByteBuf encoded = FrameCodec.encode(ByteBufAllocator.DEFAULT, frame);
        try {
            byte[] bytes = new byte[encoded.readableBytes()];
            encoded.readBytes(bytes);
            socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        } finally {
            encoded.release();
        }
    }

    <T extends Frame> T next(Class<T> type) {
        Frame frame;
        try {
            frame = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(frame).as("frame expected by %s within %s", deviceId, WAIT).isNotNull();
        assertThat(frame).isInstanceOf(type);
        return type.cast(frame);
    }

    @Override
    public void close() {
        socket.abort();
    }
}

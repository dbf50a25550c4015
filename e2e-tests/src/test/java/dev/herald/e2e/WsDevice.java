package dev.herald.e2e;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The JDK's WebSocket client carrying native frames, one per binary message, auto-ACKing pushes. */
final class WsDevice implements WebSocket.Listener {
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Frame.ConnAck> connAck = new CompletableFuture<>();
    private WebSocket socket;
    private ByteBuffer partial = ByteBuffer.allocate(0);

    /** Opens the socket and sends CONNECT for {@link HeraldSuite#APP}, without waiting for the CONNACK. */
    static WsDevice open(int port, String deviceId, String token) throws Exception {
        WsDevice d = new WsDevice();
        d.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), d).get(10, TimeUnit.SECONDS);
        d.send(new Frame.Connect(1, 60, deviceId, HeraldSuite.APP, token, 0));
        return d;
    }

    /** Like {@link #open}, returning once CONNACK OK has arrived. */
    static WsDevice connected(int port, String deviceId, String token) throws Exception {
        WsDevice d = open(port, deviceId, token);
        Frame.ConnAck ack = d.connAck.get(10, TimeUnit.SECONDS);
        if (ack.code() != ErrorCode.OK) {
            d.close();
            throw new IllegalStateException(deviceId + " refused: " + ack.code() + " " + ack.message());
        }
        return d;
    }

    List<String> texts() {
        return texts;
    }

    private void send(Frame frame) {
        ByteBuf buf = FrameCodec.encode(ByteBufAllocator.DEFAULT, frame);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        } finally {
            buf.release();
        }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        ByteBuffer joined = ByteBuffer.allocate(partial.remaining() + data.remaining());
        joined.put(partial).put(data).flip();
        partial = joined;
        if (last) {
            ByteBuf frame = Unpooled.wrappedBuffer(partial);
            partial = ByteBuffer.allocate(0);
            frame.skipBytes(FrameCodec.LENGTH_FIELD_BYTES);
            Frame decoded = FrameCodec.decode(frame);
            if (decoded instanceof Frame.ConnAck ack) {
                connAck.complete(ack);
            } else if (decoded instanceof Frame.Push push) {
                texts.add(new String(push.payload(), StandardCharsets.UTF_8));
                List<Frame.Cursor> cursors = push.broadcastSeq() > 0
                        ? List.of(new Frame.Cursor(push.appId(), push.broadcastSeq())) : List.of();
                send(new Frame.Ack(0, List.of(push.messageId()), cursors));
            }
        }
        webSocket.request(1);
        return null;
    }

    void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        socket.abort();
    }
}

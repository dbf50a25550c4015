package dev.herald.bench.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket device on an {@link EmbeddedChannel} with its real pipeline, wired byte for byte to a
 * second EmbeddedChannel that plays the access node with Netty's server-side WebSocket handler.
 */
class WebSocketDeviceTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final DeviceLogin login = new DeviceLogin(7, "dev-7", "demo", "token-7");
    private final RecordingSink sink = new RecordingSink();
    private final CompletableFuture<DeviceConnection> done = new CompletableFuture<>();
    private final List<String> upgradePaths = new CopyOnWriteArrayList<>();
    private final EmbeddedChannel node = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof FullHttpRequest request) {
                        upgradePaths.add(request.uri());
                    }
                    ctx.fireChannelRead(msg);
                }
            },
            new WebSocketServerProtocolHandler("/ws"));
    private final EmbeddedChannel device = new EmbeddedChannel();

    {
        // As over TCP: handlers first, then channelActive (the handshaker sends its request on channelActive).
        device.pipeline().addLast(WebSocketTransport.pipeline(URI.create("ws://127.0.0.1:7070/ws"), 10_000,
                FrameCodec.DEFAULT_MAX_FRAME_BYTES, new NativeDeviceHandler(login, sink, done, TimeUnit.SECONDS.toNanos(10))));
        device.pipeline().fireChannelActive();
    }

    @AfterEach
    void close() {
        device.finishAndReleaseAll();
        node.finishAndReleaseAll();
    }

    @Test
    void upgradesAtWsPathThenSendsConnectAsOneBinaryMessageWithLengthPrefix() {
        Frame connect = nextFrameFromDevice();

        assertThat(upgradePaths).containsExactly("/ws");
        assertThat(connect).isEqualTo(new Frame.Connect(1, 30, "dev-7", "demo", "token-7", 0));
        assertThat(done).isNotDone();
    }

    @Test
    void connAckOkCompletesTheLoginAndPushIsRecordedAndAcked() {
        nextFrameFromDevice();
        sendToDevice(new Frame.ConnAck(1, ErrorCode.OK, 30, ""));
        assertThat(done).isCompletedWithValueMatching(DeviceConnection::isOpen);

        MessageId id = MessageId.generate();
        sendToDevice(new Frame.Push(2, Frame.Push.FLAG_BROADCAST, id, "demo", 12, "hello".getBytes(StandardCharsets.UTF_8)));

        assertThat(sink.payloads).singleElement().satisfies(p -> assertThat(new String(p, StandardCharsets.UTF_8)).isEqualTo("hello"));
        Frame ack = nextFrameFromDevice();
        assertThat(ack).isInstanceOfSatisfying(Frame.Ack.class, a -> {
            assertThat(a.messageIds()).containsExactly(id);
            assertThat(a.cursors()).containsExactly(new Frame.Cursor("demo", 12));
        });
    }

    @Test
    void refusedConnAckFailsWithItsCode() throws Exception {
        nextFrameFromDevice();
        sendToDevice(new Frame.ConnAck(1, ErrorCode.BAD_TOKEN, 0, "bad token"));

        assertThat(done.handle((c, e) -> ((DeviceRefusedException) e).reason()).get()).isEqualTo("BAD_TOKEN");
        assertThat(device.isOpen()).isFalse();
    }

    /** Moves bytes both ways until neither side has anything left to say. */
    private void pump() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Object out; (out = device.readOutbound()) != null; moved = true) {
                node.writeInbound(out);
            }
            for (Object out; (out = node.readOutbound()) != null; moved = true) {
                if (device.isOpen()) {
                    device.writeInbound(out);
                } else {
                    ReferenceCountUtil.release(out);
                }
            }
        }
    }

    /** The next binary message the device wrote, checked to hold exactly one length-prefixed frame. */
    private Frame nextFrameFromDevice() {
        pump();
        BinaryWebSocketFrame message = node.readInbound();
        assertThat(message).as("a binary message from the device").isNotNull();
        try {
            ByteBuf content = message.content();
            assertThat(content.readInt()).as("length prefix").isEqualTo(content.readableBytes());
            return FrameCodec.decode(content);
        } finally {
            message.release();
        }
    }

    private void sendToDevice(Frame frame) {
        node.writeOutbound(new BinaryWebSocketFrame(FrameCodec.encode(ALLOC, frame)));
        pump();
    }
}

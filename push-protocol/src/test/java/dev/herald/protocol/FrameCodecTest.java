package dev.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

    private static final MessageId ID_A = new MessageId(0x01936A5EC0001234L, 0x89ABCDEF01234567L);
    private static final MessageId ID_B = MessageId.generate();

    static Stream<Frame> everyFrameType() {
        return Stream.of(
                new Frame.Connect(1, 30, "device-1", "demo", "v1.1700000000.c2lnbmF0dXJl", 0),
                new Frame.Connect(7, 65535, "dévice-ü", List.of(
                        new Frame.AppLogin("demo", "tok-1", 42),
                        new Frame.AppLogin("news", "tok-2", Long.MAX_VALUE))),
                new Frame.ConnAck(1, ErrorCode.OK, 30, ""),
                new Frame.ConnAck(2, ErrorCode.BAD_TOKEN, 0, "token signature does not match"),
                new Frame.Ping(Integer.MAX_VALUE),
                new Frame.Pong(-1),
                new Frame.Push(3, 0, ID_A, "demo", 0, "hello".getBytes(StandardCharsets.UTF_8)),
                new Frame.Push(4, Frame.Push.FLAG_BROADCAST | Frame.Push.FLAG_REPLAY, ID_B, "demo", 99, new byte[0]),
                new Frame.Push(5, Frame.Push.FLAG_BROADCAST, ID_B, "demo", 1, new byte[4096]),
                new Frame.Ack(6, List.of(ID_A, ID_B), List.of(new Frame.Cursor("demo", 99))),
                new Frame.Ack(8, List.of(), List.of()),
                new Frame.ErrorFrame(9, ErrorCode.UNSUPPORTED_OPCODE, "opcode 0xb is reserved"),
                new Frame.ErrorFrame(10, ErrorCode.UPLINK_REJECTED, "app news is not logged in"),
                new Frame.Uplink(11, "demo", "temperature=21".getBytes(StandardCharsets.UTF_8)),
                new Frame.Uplink(12, "démo", new byte[0]),
                new Frame.Uplink(13, "demo", new byte[4096]),
                new Frame.UplinkAck(11, ID_A),
                new Frame.Disconnect(0, ErrorCode.HEARTBEAT_TIMEOUT, "silent for 60 s"),
                new Frame.Disconnect(0, ErrorCode.INTERNAL_ERROR, ""),
                new Frame.RoomJoin(14, "demo", "lobby", 20),
                new Frame.RoomJoin(15, "demo", "room:ü", 65535),
                new Frame.RoomLeave(16, "demo", "lobby"),
                new Frame.RoomSend(17, "demo", "lobby", "hi all".getBytes(StandardCharsets.UTF_8)),
                new Frame.RoomSend(18, "demo", "lobby", new byte[0]),
                new Frame.RoomMessage(0, 0, ID_A, "demo", "lobby", 1, "device-1", 1_764_064_800_123L,
                        "hi all".getBytes(StandardCharsets.UTF_8)),
                new Frame.RoomMessage(0, Frame.RoomMessage.FLAG_HISTORY, ID_B, "demo", "lobby", Long.MAX_VALUE, "", 0,
                        new byte[4096]),
                new Frame.RoomAck(14, Frame.RoomAck.Kind.JOINED, ErrorCode.OK, "demo", "lobby", 41, 5000, null),
                new Frame.RoomAck(16, Frame.RoomAck.Kind.LEFT, ErrorCode.OK, "demo", "lobby", 0, 0, null),
                new Frame.RoomAck(17, Frame.RoomAck.Kind.SENT, ErrorCode.OK, "demo", "lobby", 42, 0, ID_A),
                new Frame.RoomAck(0, Frame.RoomAck.Kind.REMOVED, ErrorCode.ROOM_KICKED, "demo", "lobby", 0, 0xFFFFFFFFL,
                        null));
    }

    @ParameterizedTest
    @MethodSource("everyFrameType")
    void everyFrameTypeSurvivesARoundTrip(Frame frame) {
        ByteBuf wire = FrameCodec.encode(ByteBufAllocator.DEFAULT, frame);
        Frame decoded = WireBytes.decodeAndRelease(wire);

        assertThat(decoded).isEqualTo(frame);
        assertThat(decoded.opcode()).isEqualTo(frame.opcode());
        assertThat(decoded.flags()).isEqualTo(frame.flags());
        assertThat(wire.refCnt()).isZero();
    }

    @Test
    void pushFramesCompareByPayloadContent() {
        Frame.Push a = new Frame.Push(1, 0, ID_A, "demo", 0, new byte[] {1, 2, 3});
        Frame.Push b = new Frame.Push(1, 0, ID_A, "demo", 0, new byte[] {1, 2, 3});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Frame.Push(1, 0, ID_A, "demo", 0, new byte[] {1, 2, 4}));
        assertThat(a.toString()).contains("3 bytes");
    }

    @Test
    void uplinkFramesCompareByPayloadContent() {
        Frame.Uplink a = new Frame.Uplink(1, "demo", new byte[] {1, 2, 3});

        assertThat(a).isEqualTo(new Frame.Uplink(1, "demo", new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new Frame.Uplink(1, "demo", new byte[] {1, 2, 3}));
        assertThat(a).isNotEqualTo(new Frame.Uplink(1, "demo", new byte[] {1, 2, 4}));
        assertThat(a.toString()).contains("3 bytes");
    }

    @Test
    void uplinkPayloadLongerThanTheFrameIsMalformed() {
        byte[] uplink = body(WireBytes.encode(new Frame.Uplink(1, "demo", new byte[] {1, 2, 3})));
        int lengthHighByte = uplink.length - 3 - 4;
        uplink[lengthHighByte] = 0x7F;
        assertProtocolError(uplink, ErrorCode.MALFORMED_FRAME);
        uplink[lengthHighByte] = (byte) 0xFF;
        assertProtocolError(uplink, ErrorCode.MALFORMED_FRAME);
        for (int cut = FrameCodec.HEADER_BYTES + 1; cut < uplink.length; cut++) {
            assertProtocolError(Arrays.copyOf(uplink, cut), ErrorCode.MALFORMED_FRAME);
        }
    }

    @Test
    void uplinkAckShorterThanAMessageIdIsMalformed() {
        assertProtocolError(body(WireBytes.raw(1, 0x0A, 0, 1, new byte[15])), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void roomAckOfUnknownKindIsMalformed() {
        byte[] ack = body(WireBytes.encode(new Frame.RoomAck(1, Frame.RoomAck.Kind.LEFT, ErrorCode.OK, "d", "r", 0, 0, null)));
        ack[FrameCodec.HEADER_BYTES] = 9;
        assertProtocolError(ack, ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void pushFlagsAreExposedAsBooleans() {
        Frame.Push replayedBroadcast = new Frame.Push(1, Frame.Push.FLAG_BROADCAST | Frame.Push.FLAG_REPLAY, ID_A, "demo", 5, new byte[0]);
        Frame.Push unicast = new Frame.Push(1, 0, ID_A, "demo", 0, new byte[0]);

        assertThat(replayedBroadcast.broadcast()).isTrue();
        assertThat(replayedBroadcast.replay()).isTrue();
        assertThat(unicast.broadcast()).isFalse();
        assertThat(unicast.replay()).isFalse();
    }

    /** The worked examples of docs/protocol.md, from the file the TypeScript SDK's codec tests read too. */
    static Stream<ProtocolVectors.Vector> documentedExamples() throws IOException {
        return ProtocolVectors.load().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedExamples")
    void documentedExamplesEncodeAndDecodeByteForByte(ProtocolVectors.Vector vector) {
        assertThat(WireBytes.hex(vector.frame())).isEqualTo(vector.hex());
        assertThat(WireBytes.decodeAndRelease(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(vector.hex()))))
                .isEqualTo(vector.frame());
    }

    @Test
    void protocolSpecShowsEveryDocumentedExample() throws IOException {
        Path spec = Path.of("..", "docs", "protocol.md");
        assumeTrue(Files.exists(spec), "docs/protocol.md is next to the module");
        String text = Files.readString(spec);

        for (ProtocolVectors.Vector vector : ProtocolVectors.load()) {
            assertThat(text).as(vector.name()).contains("`" + vector.hex() + "`");
        }
        assertThat(ID_A.toString()).isEqualTo("01JDN5XG0028T8KAYDXW0J6HB7");
        assertThat(text).contains(ID_A.toString());
    }

    @Test
    void lengthPrefixCountsTheBytesAfterIt() {
        byte[] wire = WireBytes.encode(new Frame.Disconnect(0, ErrorCode.SERVER_SHUTDOWN, "bye"));

        assertThat(wire).hasSize(4 + 7 + 2 + 2 + 3);
        assertThat(Unpooled.wrappedBuffer(wire).getInt(0)).isEqualTo(wire.length - 4);
    }

    @Test
    void nullStringsAreSentAsEmptyStrings() {
        Frame decoded = WireBytes.decodeAndRelease(FrameCodec.encode(ByteBufAllocator.DEFAULT,
                new Frame.ErrorFrame(1, ErrorCode.NOT_CONNECTED, null)));

        assertThat(decoded).isEqualTo(new Frame.ErrorFrame(1, ErrorCode.NOT_CONNECTED, ""));
    }

    @Test
    void unknownErrorCodesDecodeAsInternalError() {
        byte[] body = {0x03, (byte) 0xE7, 0x00, 0x00}; // code 999, empty message
        Frame decoded = WireBytes.decodeBody(body(WireBytes.raw(1, 0x07, 0, 1, body)));

        assertThat(decoded).isEqualTo(new Frame.ErrorFrame(1, ErrorCode.INTERNAL_ERROR, ""));
    }

    @Test
    void everyErrorCodeMapsBackFromItsNumber() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.of(code.code())).isEqualTo(code);
        }
    }

    @Test
    void everyOpcodeMapsBackFromItsNumberAndReservedCodesMapToNull() {
        for (Opcode op : Opcode.values()) {
            assertThat(Opcode.of(op.code())).isEqualTo(op);
        }
        assertThat(Opcode.of(0x09)).isEqualTo(Opcode.UPLINK);
        assertThat(Opcode.of(0x0A)).isEqualTo(Opcode.UPLINK_ACK);
        assertThat(Opcode.of(0x0B)).isEqualTo(Opcode.ROOM_JOIN);
        assertThat(Opcode.of(0x0F)).isEqualTo(Opcode.ROOM_ACK);
        for (int code = 0x10; code <= 0x3F; code++) {
            assertThat(Opcode.of(code)).isNull();
        }
        assertThat(Opcode.of(0)).isNull();
        assertThat(Opcode.of(-1)).isNull();
        assertThat(Opcode.of(256)).isNull();
    }

    // --- decoding errors -------------------------------------------------------------------------

    @Test
    void frameShorterThanItsHeaderIsMalformed() {
        assertProtocolError(new byte[] {1, 3, 0, 0}, ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void otherVersionIsUnsupported() {
        assertProtocolError(body(WireBytes.raw(2, 0x03, 0, 1)), ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void reservedOpcodeIsReportedWithItsSequence() {
        assertThatThrownBy(() -> WireBytes.decodeBody(body(WireBytes.raw(1, 0x10, 0, 77))))
                .isInstanceOfSatisfying(FrameCodec.UnsupportedOpcodeException.class, e -> {
                    assertThat(e.seq()).isEqualTo(77);
                    assertThat(e.opcode()).isEqualTo(0x10);
                });
    }

    @Test
    void truncatedBodyIsMalformed() {
        byte[] push = body(WireBytes.encode(new Frame.Push(1, 0, ID_A, "demo", 0, new byte[] {1, 2, 3})));
        for (int cut = FrameCodec.HEADER_BYTES + 1; cut < push.length; cut++) {
            assertProtocolError(Arrays.copyOf(push, cut), ErrorCode.MALFORMED_FRAME);
        }
    }

    @Test
    void trailingBytesAfterTheBodyAreMalformed() {
        byte[] ping = body(WireBytes.encode(new Frame.Ping(1)));
        assertProtocolError(Arrays.copyOf(ping, ping.length + 1), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void pushPayloadLongerThanTheFrameIsMalformed() {
        byte[] push = body(WireBytes.encode(new Frame.Push(1, 0, ID_A, "demo", 0, new byte[] {1, 2, 3})));
        int lengthHighByte = push.length - 3 - 4;
        push[lengthHighByte] = 0x7F; // far more than the frame holds
        assertProtocolError(push, ErrorCode.MALFORMED_FRAME);
        push[lengthHighByte] = (byte) 0xFF; // negative
        assertProtocolError(push, ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void stringLongerThanTheLimitIsMalformed() {
        byte[] message = new byte[FrameCodec.MAX_STRING_BYTES + 1];
        Arrays.fill(message, (byte) 'x');
        byte[] body = new byte[2 + 2 + message.length];
        body[1] = 1; // code MALFORMED_FRAME
        body[2] = (byte) (message.length >>> 8);
        body[3] = (byte) message.length;
        System.arraycopy(message, 0, body, 4, message.length);
        assertProtocolError(body(WireBytes.raw(1, 0x08, 0, 0, body)), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void connectWithoutAppsIsMalformed() {
        byte[] body = {0x00, 0x1E, 0x00, 0x01, 'd', 0x00};
        assertProtocolError(body(WireBytes.raw(1, 0x01, 0, 1, body)), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void connectWithMoreThanSixteenAppsIsRefusedAsTooManyApps() {
        ByteBuf body = Unpooled.buffer();
        body.writeShort(30);
        FrameCodec.writeString(body, "device-1");
        body.writeByte(FrameCodec.MAX_APPS_PER_CONNECT + 1);
        for (int i = 0; i <= FrameCodec.MAX_APPS_PER_CONNECT; i++) {
            FrameCodec.writeString(body, "app" + i);
            FrameCodec.writeString(body, "token");
            body.writeLong(0);
        }
        byte[] bytes = new byte[body.readableBytes()];
        body.readBytes(bytes).release();

        assertProtocolError(body(WireBytes.raw(1, 0x01, 0, 1, bytes)), ErrorCode.TOO_MANY_APPS);
    }

    @Test
    void ackWithMoreIdsThanTheLimitIsMalformed() {
        byte[] body = new byte[2 + (FrameCodec.MAX_IDS_PER_ACK + 1) * MessageId.BYTES + 1];
        body[0] = (byte) ((FrameCodec.MAX_IDS_PER_ACK + 1) >>> 8);
        body[1] = (byte) (FrameCodec.MAX_IDS_PER_ACK + 1);
        assertProtocolError(body(WireBytes.raw(1, 0x06, 0, 1, body)), ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void ackWithMoreIdsThanTheFrameHoldsIsMalformed() {
        byte[] body = {0x00, 0x02, 1, 2, 3};
        assertProtocolError(body(WireBytes.raw(1, 0x06, 0, 1, body)), ErrorCode.MALFORMED_FRAME);
    }

    // --- encoding refuses frames the peer would reject -------------------------------------------

    @Test
    void encodingAStringOverTheLimitFailsAndReleasesTheBuffer() {
        // An id, which cutting would change; a message is cut instead (below).
        String tooLong = "é".repeat(FrameCodec.MAX_STRING_BYTES / 2 + 1);
        assertThatThrownBy(() -> FrameCodec.encode(ByteBufAllocator.DEFAULT, new Frame.Uplink(0, tooLong, new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodingAnAckOverTheIdLimitFails() {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i <= FrameCodec.MAX_IDS_PER_ACK; i++) {
            ids.add(new MessageId(i, i));
        }
        assertThatThrownBy(() -> FrameCodec.encode(ByteBufAllocator.DEFAULT, new Frame.Ack(1, ids, List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(WireBytes.decodeAndRelease(FrameCodec.encode(ByteBufAllocator.DEFAULT,
                new Frame.Ack(1, ids.subList(0, FrameCodec.MAX_IDS_PER_ACK), List.of()))))
                .isInstanceOf(Frame.Ack.class);
    }

    @Test
    void encodingAConnectWithoutAppsOrWithTooManyAppsFails() {
        List<Frame.AppLogin> apps = new ArrayList<>();
        assertThatThrownBy(() -> WireBytes.encode(new Frame.Connect(1, 30, "d", apps)))
                .isInstanceOf(IllegalArgumentException.class);
        for (int i = 0; i <= FrameCodec.MAX_APPS_PER_CONNECT; i++) {
            apps.add(new Frame.AppLogin("app" + i, "t", 0));
        }
        assertThatThrownBy(() -> WireBytes.encode(new Frame.Connect(1, 30, "d", apps)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodingUnsignedShortFieldsOutOfRangeFails() {
        assertThatThrownBy(() -> WireBytes.encode(new Frame.ConnAck(1, ErrorCode.OK, 70_000, "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WireBytes.encode(new Frame.Connect(1, -1, "d", "demo", "t", 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodingAPushWithoutAppIdSendsAnEmptyAppId() {
        Frame decoded = WireBytes.decodeAndRelease(FrameCodec.encode(ByteBufAllocator.DEFAULT,
                new Frame.Push(1, 0, ID_A, null, 0, new byte[] {1})));

        assertThat(((Frame.Push) decoded).appId()).isEmpty();
    }

    private static byte[] body(byte[] wholeFrame) {
        return Arrays.copyOfRange(wholeFrame, FrameCodec.LENGTH_FIELD_BYTES, wholeFrame.length);
    }

    private static void assertProtocolError(byte[] afterLengthPrefix, ErrorCode expected) {
        assertThatThrownBy(() -> WireBytes.decodeBody(afterLengthPrefix))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(expected));
    }

    /**
     * Found by the access node's fuzzer: a CONNECT naming an unknown app of 1024 bytes was refused with a
     * CONNACK whose message quoted it, which could not be encoded; the device saw a close without a word.
     */
    @Test
    void aMessageOverTheStringLimitIsCutAtACharacterBoundary() {
        String longMessage = "unknown app: " + "é".repeat(600); // 13 + 1200 bytes of UTF-8

        Frame decoded = WireBytes.decodeAndRelease(FrameCodec.encode(ByteBufAllocator.DEFAULT,
                new Frame.ConnAck(1, ErrorCode.UNKNOWN_APP, 0, longMessage)));

        assertThat(decoded).isInstanceOfSatisfying(Frame.ConnAck.class, connAck -> {
            assertThat(connAck.code()).isEqualTo(ErrorCode.UNKNOWN_APP);
            assertThat(longMessage).startsWith(connAck.message());
            assertThat(connAck.message().getBytes(StandardCharsets.UTF_8)).hasSize(1023); // 13 + 2 × 505: no half é
        });
        for (Frame frame : List.of(new Frame.ErrorFrame(2, ErrorCode.UPLINK_REJECTED, longMessage),
                new Frame.Disconnect(3, ErrorCode.MALFORMED_FRAME, longMessage))) {
            assertThat(WireBytes.encode(frame).length).isLessThan(1024 + 20);
        }
    }
}

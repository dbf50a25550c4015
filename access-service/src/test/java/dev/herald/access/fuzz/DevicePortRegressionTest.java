package dev.herald.access.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.fuzz.CrashLog;
import dev.herald.protocol.fuzz.FuzzReport;
import dev.herald.protocol.fuzz.Mutations;
import dev.herald.protocol.fuzz.ValidFrames;
import dev.herald.access.AccessProperties;
import dev.herald.testsupport.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs the fuzzer found mishandled, kept as plain tests once fixed. */
class DevicePortRegressionTest {

    private final FuzzedNode node = new FuzzedNode();

    @AfterEach
    void closeNode() {
        node.close();
    }

    /** Was counted twice, as {@code timeout} by the deadline and {@code truncated} by the detector's close. */
    @Test
    void aConnectionSilentBeforeItsProtocolIsKnownIsCountedOnceAsATimeout() {
        run(connection -> {
            connection.feed(new byte[] {0, 0}, new SplittableRandom(1), report());
            connection.runDeadlines();

            assertThat(connection.open()).isFalse();
            assertThat(connection.fromServer()).isEmpty();
            assertThat(connection.rejected()).isEqualTo(Map.of("timeout", 1.0));
        });
    }

    /**
     * Was answered with a native DISCONNECT HANDSHAKE_TIMEOUT in a WebSocket binary frame, which the
     * HTTP encoder still in place cannot write (the write failed at the socket, then the close).
     */
    @Test
    void aWebSocketUpgradeUnfinishedAtTheDeadlineIsClosedQuietlyAsATimeout() {
        run(connection -> {
            byte[] partial = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: webs".getBytes(StandardCharsets.US_ASCII);
            connection.feed(partial, new SplittableRandom(1), report());
            connection.runDeadlines();

            assertThat(connection.open()).isFalse();
            assertThat(connection.detected()).isEqualTo("websocket");
            assertThat(connection.fromServer()).isEmpty();
            assertThat(connection.rejected()).isEqualTo(Map.of("timeout", 1.0));
        });
    }

    /**
     * Netty's WebSocket handler wrote a close frame of its own (1000) on every close: before the upgrade
     * into the HTTP encoder, which cannot write it; after a protocol violation as a second close frame.
     */
    @Test
    void aWebSocketProtocolViolationGetsOneCloseFrame() {
        run(connection -> {
            SplittableRandom random = new SplittableRandom(1);
            connection.feed(WebSocketStreams.request(random), random, report());
            connection.feed(WebSocketStreams.frame(random, 0x82, new byte[] {1, 2, 3}, false, 0), random, report()); // unmasked

            assertThat(connection.open()).isFalse();
            WebSocketReplies.Replies replies = WebSocketReplies.parse(connection.fromServer());
            assertThat(replies.status()).isEqualTo(101);
            assertThat(replies.messages()).singleElement().isInstanceOfSatisfying(WebSocketReplies.Close.class,
                    close -> assertThat(close.status()).isEqualTo(1002));
        });
    }

    /**
     * The bytes after the upgrade request in the same read went past the WebSocket frame decoder to the
     * session handler, which dropped them with a warning ("unexpected message"): a CONNECT sent without
     * waiting for the 101 was lost.
     */
    @Test
    void framesInTheSameReadAsTheUpgradeRequestAreDecoded() {
        run(connection -> {
            SplittableRandom random = new SplittableRandom(1);
            byte[] connect = ValidFrames.encode(new Frame.Connect(7, 30, Logins.DEVICE, new Logins(node).valid()));
            byte[] read = Mutations.concat(WebSocketStreams.request(random),
                    WebSocketStreams.frame(random, 0x82, connect, true, 0));
            connection.read(read);

            WebSocketReplies.Replies replies = WebSocketReplies.parse(connection.fromServer());
            assertThat(replies.status()).isEqualTo(101);
            assertThat(WebSocketReplies.frames(replies)).containsExactly(new Frame.ConnAck(7, ErrorCode.OK, 30, ""));
        });
    }

    /**
     * Found by the fuzzer under TLS: the same bytes, inside a TLS record, were handed back to the start of the
     * pipeline, into the TLS handler, which took them for the next record's header and ended the connection
     * with a {@code protocol_version} alert; the CONNECT was lost.
     */
    @Test
    void framesInTheSameTlsRecordAsTheUpgradeRequestAreDecoded(@TempDir Path certificates) {
        try (FuzzedNode tlsNode = tlsNode(certificates); CrashLog crashes = CrashLog.open()) {
            FuzzedConnection connection = tlsNode.connect();
            SplittableRandom random = new SplittableRandom(1);
            byte[] connect = ValidFrames.encode(new Frame.Connect(7, 30, Logins.DEVICE, new Logins(tlsNode).valid()));
            connection.read(Mutations.concat(WebSocketStreams.request(random), WebSocketStreams.frame(random, 0x82, connect, true, 0)));

            WebSocketReplies.Replies replies = WebSocketReplies.parse(connection.fromServer());
            assertThat(replies.status()).isEqualTo(101);
            assertThat(WebSocketReplies.frames(replies)).containsExactly(new Frame.ConnAck(7, ErrorCode.OK, 30, ""));
            assertThat(connection.open()).isTrue();
            connection.finish();
            assertThat(crashes.drain()).as("logged as warnings or errors").isEmpty();
        }
    }

    /**
     * Found by the TLS fuzzer: a first frame that is no CONNECT is refused with DISCONNECT NOT_CONNECTED, but over
     * TLS the channel stays active until close_notify is written, and the rest of the same decrypted read still
     * reached the frame decoder, which answered an oversized length with a second DISCONNECT after the first.
     */
    @Test
    void overTlsNothingIsAnsweredAfterTheDisconnectOfARefusedFirstFrame(@TempDir Path certificates) {
        try (FuzzedNode tlsNode = tlsNode(certificates); CrashLog crashes = CrashLog.open()) {
            FuzzedConnection connection = tlsNode.connect();
            byte[] ping = ValidFrames.encode(new Frame.Ping(3));
            byte[] oversized = {0x7f, 0x7f, 0x7f, 0x7f, 0x01};
            connection.read(Mutations.concat(ping, oversized));
            connection.finish();

            assertThat(NativeReplies.frames(connection.fromServer())).singleElement()
                    .satisfies(frame -> assertThat(((Frame.Disconnect) frame).code()).isEqualTo(ErrorCode.NOT_CONNECTED));
            assertThat(crashes.drain()).as("logged as warnings or errors").isEmpty();
        }
    }

    /** A node with TLS on its device port, its certificate from a CA made in {@code certificates}. */
    private static FuzzedNode tlsNode(Path certificates) {
        TestCertificates authority = TestCertificates.authority(certificates);
        Path[] server = authority.server("node", 1);
        return FuzzedNode.overTls(new AccessProperties.Tls(server[0], server[1], null, false, Duration.ofSeconds(10), ""),
                authority.clientContext());
    }

    @Test
    void anHttpRequestForAnotherPathGets404AndNothingElse() {
        run(connection -> {
            SplittableRandom random = new SplittableRandom(1);
            connection.feed("GET /other HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), random, report());

            assertThat(connection.open()).isFalse();
            assertThat(WebSocketReplies.parse(connection.fromServer()).status()).isEqualTo(404);
        });
    }

    /**
     * A client that closes in the middle of a fragmented message made Netty's aggregator report a
     * PrematureChannelClosureException, which the session handler logged as a warning with its stack
     * trace: one per connection, for anyone who wants to fill the log.
     */
    @Test
    void aClientLeavingInTheMiddleOfAFragmentedMessageIsNoWarning() {
        run(connection -> {
            SplittableRandom random = new SplittableRandom(1);
            connection.feed(WebSocketStreams.request(random), random, report());
            connection.feed(WebSocketStreams.frame(random, 0x02, new byte[] {0, 0, 0}), random, report()); // no FIN
            connection.peerCloses();

            assertThat(connection.open()).isFalse();
        });
    }

    /** Was closed without a close frame (Netty's aggregator raised TooLongFrameException); the docs promise 1009. */
    @Test
    void aFragmentedMessageOverTheLimitIsClosedWith1009() {
        run(connection -> {
            SplittableRandom random = new SplittableRandom(1);
            byte[] half = new byte[FuzzedNode.MAX_FRAME_BYTES / 2 + 1];
            connection.feed(WebSocketStreams.request(random), random, report());
            connection.read(Mutations.concat(WebSocketStreams.frame(random, 0x02, half),
                    WebSocketStreams.frame(random, 0x80, half)));

            assertThat(connection.open()).isFalse();
            assertThat(WebSocketReplies.parse(connection.fromServer()).messages()).singleElement()
                    .isInstanceOfSatisfying(WebSocketReplies.Close.class, close -> assertThat(close.status()).isEqualTo(1009));
        });
    }

    /** Was closed without a close frame by Netty's UTF-8 validator, where valid text gets 1003. */
    @Test
    void aTextMessageOfInvalidUtf8IsClosedWith1003LikeAnyText() {
        run(connection -> {
            SplittableRandom random = new SplittableRandom(1);
            connection.feed(WebSocketStreams.request(random), random, report());
            connection.read(WebSocketStreams.frame(random, 0x81, new byte[] {(byte) 0xC3, 0x28}));

            assertThat(connection.open()).isFalse();
            assertThat(WebSocketReplies.parse(connection.fromServer()).messages()).singleElement()
                    .isInstanceOfSatisfying(WebSocketReplies.Close.class, close -> assertThat(close.status()).isEqualTo(1003));
        });
    }

    /**
     * Netty's MQTT decoder trusted a string's length over its packet's: a PUBLISH of 127 bytes whose
     * topic claimed 62,928 made it wait for and keep them, past the 4 KiB packet limit.
     */
    @Test
    void anMqttStringLongerThanItsPacketClosesTheConnectionWithoutKeepingIt() {
        run(connection -> {
            SplittableRandom random = new SplittableRandom(1);
            connection.feed(new MqttStreams(node).connect(random, 0, false), random, report());
            byte[] publish = Mutations.concat(new byte[] {0x30, 0x7F, (byte) 0xF5, (byte) 0xD0}, new byte[125]);
            connection.read(Mutations.concat(publish, new byte[FuzzedNode.MAX_FRAME_BYTES]));

            assertThat(connection.open()).isFalse();
            assertThat(connection.loggedCloseReason()).contains("malformed packet");
            assertThat(MqttReplies.parse(connection.fromServer())).singleElement()
                    .satisfies(connAck -> assertThat(connAck.codes()).containsExactly(0));
        });
    }

    /**
     * Found by the long run: the CONNACK refusing an unknown app id of 1024 bytes quoted it, could not
     * be encoded (its message over the string limit), and the device saw a close without a word.
     */
    @Test
    void aLoginNamingAHugeUnknownAppIsRefusedWithItsReason() {
        run(connection -> {
            String app = "a".repeat(1024);
            connection.read(ValidFrames.encode(new Frame.Connect(9, 30, Logins.DEVICE,
                    java.util.List.of(new Frame.AppLogin(app, "token", 0)))));

            assertThat(connection.open()).isFalse();
            assertThat(NativeReplies.frames(connection.fromServer())).singleElement()
                    .isInstanceOfSatisfying(Frame.ConnAck.class, connAck -> {
                        assertThat(connAck.code()).isEqualTo(ErrorCode.UNKNOWN_APP);
                        assertThat(connAck.message()).startsWith("unknown app aaaa");
                    });
        });
    }

    /**
     * Found by the long run: a request still incomplete at the handshake deadline was counted as a
     * timeout, and then again as malformed when the close made the HTTP decoder give up on it, with a
     * 400 written to the closed channel.
     */
    @Test
    void anHttpRequestCutByTheDeadlineIsCountedOnceAsATimeout() {
        run(connection -> {
            connection.feed("GET /other HTTP/1.1\r\nHost: 127.".getBytes(StandardCharsets.ISO_8859_1),
                    new SplittableRandom(1), report());
            connection.runDeadlines();

            assertThat(connection.open()).isFalse();
            assertThat(connection.fromServer()).isEmpty();
            assertThat(connection.rejected()).isEqualTo(Map.of("timeout", 1.0));
        });
    }

    /** Runs {@code test} on a new connection; nothing may be logged as a warning or error meanwhile. */
    private void run(java.util.function.Consumer<FuzzedConnection> test) {
        try (CrashLog crashes = CrashLog.open()) {
            FuzzedConnection connection = node.connect();
            test.accept(connection);
            connection.finish();
            assertThat(crashes.drain()).as("logged as warnings or errors").isEmpty();
        }
    }

    private static FuzzReport report() {
        return new FuzzReport("regression", 0);
    }
}

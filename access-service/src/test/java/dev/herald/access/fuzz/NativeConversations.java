package dev.herald.access.fuzz;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.fuzz.Mutations;
import dev.herald.protocol.fuzz.NativeInputs;
import dev.herald.protocol.fuzz.ValidFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Native conversations a device might have, as frames (pieces of bytes) to send over TCP or inside
 * WebSocket messages: a CONNECT (mostly accepted, see {@link Logins}) and frames a device sends
 * afterwards, with, in a hostile conversation, pieces from {@link NativeInputs} in between (mutated
 * and random frames, random bytes, lengths at the limit). A conversation with no hostile piece comes
 * with the exact answers the protocol promises (docs/protocol.md), from a model of the session:
 * CONNACK, PONG for PING, UPLINK_ACK or ERROR UPLINK_REJECTED for UPLINK, ERROR ALREADY_CONNECTED for a
 * second CONNECT, ERROR UNSUPPORTED_OPCODE for a frame a device may not send, nothing for ACK, PONG
 * and ERROR (nor for room requests, whose stubbed rooms answer nothing), and the end of the connection
 * after the device's DISCONNECT.
 */
final class NativeConversations {

    private final FuzzedNode node;
    private final Logins logins;
    private final NativeInputs inputs = new NativeInputs(FuzzedNode.MAX_FRAME_BYTES);

    NativeConversations(FuzzedNode node) {
        this.node = node;
        this.logins = new Logins(node);
    }

    NativeInputs inputs() {
        return inputs;
    }

    /**
     * @param pieces   the encoded frames (or hostile pieces) in order
     * @param expected the server's answers, for a conversation without hostile pieces; {@code null} otherwise
     * @param ends     whether the device ends the conversation itself (DISCONNECT, or a refused login)
     */
    record Conversation(List<byte[]> pieces, List<Frame> expected, boolean ends) {
    }

    Conversation next(SplittableRandom random, double hostileShare) {
        List<byte[]> pieces = new ArrayList<>();
        List<Frame> expected = new ArrayList<>();
        boolean hostile = false;
        boolean connected = false;
        boolean ended = false;
        List<String> apps = List.of();
        if (random.nextInt(10) < 7) {
            Logins.Login login = logins.any(random, 0.8);
            int seq = ValidFrames.seq(random);
            pieces.add(ValidFrames.encode(new Frame.Connect(seq, random.nextInt(0x10000), login.deviceId(), login.apps())));
            connected = login.accepted();
            apps = login.apps().stream().map(Frame.AppLogin::appId).toList();
            ended = !connected;
            expected.add(new Frame.ConnAck(seq, connected ? ErrorCode.OK : ErrorCode.INTERNAL_ERROR, 0, ""));
        }
        for (int i = random.nextInt(12); i > 0 && !ended; i--) {
            if (random.nextDouble() < hostileShare) {
                hostile = true;
                pieces.add(inputs.piece(random));
                continue;
            }
            Frame frame = deviceFrame(random);
            pieces.add(ValidFrames.encode(frame));
            Frame answer = connected ? answer(frame, apps) : null;
            if (!connected) {
                ended = true; // anything but CONNECT first: DISCONNECT NOT_CONNECTED, or a handshake
                hostile |= frame instanceof Frame.Connect; // a random CONNECT: its outcome is not modelled
                expected.add(new Frame.Disconnect(frame.seq(), ErrorCode.NOT_CONNECTED, ""));
            } else if (frame instanceof Frame.Disconnect) {
                ended = true;
            } else if (answer != null) {
                expected.add(answer);
            }
        }
        return new Conversation(pieces, hostile ? null : expected, ended);
    }

    /** A frame a device could send after its handshake, allowed or not. */
    private Frame deviceFrame(SplittableRandom random) {
        int seq = ValidFrames.seq(random);
        return switch (random.nextInt(24)) {
            case 0, 1, 2, 3, 4 -> new Frame.Ping(seq);
            case 5, 6 -> new Frame.Pong(seq);
            case 7, 8, 9, 10 -> new Frame.Uplink(seq, FuzzedNode.APP,
                    Mutations.randomBytes(random, 1 + random.nextInt(FuzzedNode.MAX_FRAME_BYTES / 2)));
            case 11 -> new Frame.Uplink(seq, random.nextBoolean() ? FuzzedNode.OTHER_APP : "nope",
                    Mutations.randomBytes(random, 1 + random.nextInt(64)));
            case 12 -> new Frame.Uplink(seq, FuzzedNode.APP, new byte[0]);
            case 13, 14, 15 -> {
                List<dev.herald.protocol.MessageId> ids = new ArrayList<>();
                for (int i = random.nextInt(8); i > 0; i--) {
                    ids.add(ValidFrames.id(random));
                }
                List<Frame.Cursor> cursors = random.nextBoolean() ? List.of()
                        : List.of(new Frame.Cursor(FuzzedNode.APP, ValidFrames.longValue(random)));
                yield new Frame.Ack(seq, ids, cursors);
            }
            case 16 -> new Frame.ErrorFrame(seq, ErrorCode.INTERNAL_ERROR, "device error");
            case 17 -> new Frame.Connect(seq, 30, Logins.DEVICE, logins.valid());
            case 18 -> random.nextInt(8) == 0 ? new Frame.Disconnect(seq, ErrorCode.CLIENT_DISCONNECT, "bye") : new Frame.Ping(seq);
            default -> {
                Frame any = ValidFrames.any(random, FuzzedNode.MAX_FRAME_BYTES);
                yield any instanceof Frame.Disconnect ? new Frame.Ping(seq) : any;
            }
        };
    }

    /**
     * What the server answers {@code frame} with on a connection accepted for {@code apps} ({@code null}:
     * nothing). An uplink to a logged-in app is taken whether the app has a callback URL or not.
     */
    private static Frame answer(Frame frame, List<String> apps) {
        if (frame instanceof Frame.Ping ping) {
            return new Frame.Pong(ping.seq());
        }
        if (frame instanceof Frame.Uplink uplink) {
            boolean taken = apps.contains(uplink.appId()) && uplink.payload().length > 0;
            return taken ? new Frame.UplinkAck(uplink.seq(), null)
                    : new Frame.ErrorFrame(uplink.seq(), ErrorCode.UPLINK_REJECTED, "");
        }
        if (frame instanceof Frame.Connect connect) {
            return new Frame.ErrorFrame(connect.seq(), ErrorCode.ALREADY_CONNECTED, "");
        }
        if (frame instanceof Frame.Push || frame instanceof Frame.ConnAck || frame instanceof Frame.UplinkAck
                || frame instanceof Frame.RoomMessage || frame instanceof Frame.RoomAck) {
            return new Frame.ErrorFrame(frame.seq(), ErrorCode.UNSUPPORTED_OPCODE, "");
        }
        return null; // ACK, PONG, ERROR, DISCONNECT; room requests go to the (stubbed) rooms
    }

    /** Whether {@code actual} is the answer {@code expected} stands for: same type, seq and code. */
    static boolean matches(Frame expected, Frame actual) {
        if (expected.getClass() != actual.getClass() || expected.seq() != actual.seq()) {
            return false;
        }
        if (expected instanceof Frame.ConnAck e && actual instanceof Frame.ConnAck a) {
            return (e.code() == ErrorCode.OK) == (a.code() == ErrorCode.OK);
        }
        if (expected instanceof Frame.ErrorFrame e && actual instanceof Frame.ErrorFrame a) {
            return e.code() == a.code();
        }
        if (expected instanceof Frame.Disconnect e && actual instanceof Frame.Disconnect a) {
            return e.code() == a.code();
        }
        return true;
    }
}

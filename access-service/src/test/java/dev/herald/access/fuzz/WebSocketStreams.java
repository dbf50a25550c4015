package dev.herald.access.fuzz;

import dev.herald.protocol.Frame;
import dev.herald.protocol.fuzz.Mutations;
import dev.herald.protocol.fuzz.ValidFrames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Client byte streams for the WebSocket transport: an HTTP upgrade request to {@code /ws}, then masked
 * WebSocket frames carrying a native conversation ({@link NativeConversations}) one frame per binary
 * message, sometimes fragmented into continuation frames, with pings between. Hostile streams break it
 * where WebSocket servers break: the request (method, path, missing or wrong headers, a version other
 * than 13, headers over the 8 KiB limit, a body, bare LF line ends), the frame header (no mask, RSV bits,
 * reserved opcodes, control frames over 125 bytes or fragmented, continuation without a start, a data
 * frame inside a fragmented message, lengths not in their minimal form or with the top bit set,
 * payloads and reassembled messages over the frame limit), text messages (also invalid UTF-8), close
 * frames with invalid status codes, byte-level mutations, and random bytes after the upgrade.
 */
final class WebSocketStreams {

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final NativeConversations conversations;
    private final Mutations mutations = new Mutations(125, 126, 127, FuzzedNode.MAX_FRAME_BYTES, 0xFFFF, 1000, 1005, 1015);

    WebSocketStreams(NativeConversations conversations) {
        this.conversations = conversations;
    }

    /**
     * @param bytes    what the client sends
     * @param requestLength the bytes of the upgrade request at the start of {@code bytes}
     * @param expected the native answers a valid stream gets (see {@link NativeConversations}); {@code null} when hostile
     * @param ends     whether the client ends the conversation itself
     * @param pings    WebSocket pings sent, each answered by a pong
     */
    record Stream(byte[] bytes, int requestLength, List<Frame> expected, boolean ends, int pings) {
    }

    Stream next(SplittableRandom random) {
        boolean hostile = random.nextInt(3) != 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean requestBroken = hostile && random.nextInt(4) == 0;
        out.writeBytes(requestBroken ? brokenRequest(random) : request(random));
        NativeConversations.Conversation conversation = conversations.next(random, hostile ? 0.15 : 0);
        int pings = 0;
        boolean framesBroken = false;
        for (byte[] piece : conversation.pieces()) {
            if (random.nextInt(6) == 0) {
                out.writeBytes(frame(random, 0x80 | PING, Mutations.randomBytes(random, random.nextInt(126))));
                pings++;
            }
            if (hostile && random.nextInt(5) == 0) {
                framesBroken = true;
                out.writeBytes(brokenFrame(random, piece));
            } else {
                out.writeBytes(message(random, piece));
            }
        }
        byte[] bytes = out.toByteArray();
        if (hostile && !requestBroken && (!framesBroken || random.nextInt(4) == 0)) {
            int requestLength = indexOfBodyStart(bytes);
            byte[] frames = java.util.Arrays.copyOfRange(bytes, requestLength, bytes.length);
            byte[] tail = random.nextInt(4) == 0 ? Mutations.randomBytes(random, random.nextInt(2 * FuzzedNode.MAX_FRAME_BYTES))
                    : mutations.mutate(random, frames, message(random, conversations.inputs().valid(random)));
            bytes = Mutations.concat(java.util.Arrays.copyOf(bytes, requestLength), tail);
        }
        boolean valid = !hostile && conversation.expected() != null;
        return new Stream(bytes, Math.min(indexOfBodyStart(bytes), bytes.length), valid ? conversation.expected() : null,
                conversation.ends(), pings);
    }

    /** A valid upgrade request to {@code /ws}, with or without the herald.v1 subprotocol. */
    static byte[] request(SplittableRandom random) {
        StringBuilder request = new StringBuilder("GET /ws HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:7070\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key(random)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (random.nextBoolean()) {
            request.append("Sec-WebSocket-Protocol: herald.v1\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String key(SplittableRandom random) {
        return Base64.getEncoder().encodeToString(Mutations.randomBytes(random, 16));
    }

    private byte[] brokenRequest(SplittableRandom random) {
        String request = new String(request(random), StandardCharsets.ISO_8859_1);
        String broken = switch (random.nextInt(12)) {
            case 0 -> request.replace("GET /ws ", "GET /" + ValidFrames.string(random, 40).replaceAll("[\\s\\r\\n]", "x") + " ");
            case 1 -> request.replace("GET /ws ", "GET /ws/ ");
            case 2 -> request.replace("Upgrade: websocket\r\n", "");
            case 3 -> request.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: " + (random.nextBoolean() ? "8" : "99"));
            case 4 -> request.replaceFirst("Sec-WebSocket-Key: [^\\r]*\\r\\n", "");
            case 5 -> request.replace("\r\n\r\n", "\r\nX-Padding: " + "a".repeat(8192 + random.nextInt(4096)) + "\r\n\r\n");
            case 6 -> request.replace("\r\n\r\n", "\r\nContent-Length: 5\r\n\r\nhello");
            case 7 -> request.replace("\r\n", "\n");
            case 8 -> request.replace("HTTP/1.1", random.nextBoolean() ? "HTTP/1.0" : "HTTP/9.9");
            case 9 -> request.replace("Connection: Upgrade", "Connection: keep-alive");
            case 10 -> request.replace("\r\n\r\n", "\r\nBroken header line\r\n\r\n");
            default -> new String(mutations.mutate(random, request.getBytes(StandardCharsets.ISO_8859_1), null),
                    StandardCharsets.ISO_8859_1);
        };
        return broken.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One binary message holding {@code piece}: a single frame, or fragmented into continuation frames. */
    static byte[] message(SplittableRandom random, byte[] piece) {
        if (piece.length < 2 || random.nextInt(4) != 0) {
            return frame(random, 0x80 | BINARY, piece);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        int opcode = BINARY;
        while (offset < piece.length) {
            int size = Math.min(piece.length - offset, 1 + random.nextInt(piece.length));
            boolean last = offset + size == piece.length;
            out.writeBytes(frame(random, (last ? 0x80 : 0) | opcode, java.util.Arrays.copyOfRange(piece, offset, offset + size)));
            offset += size;
            opcode = CONTINUATION;
            if (!last && random.nextInt(8) == 0) {
                out.writeBytes(frame(random, 0x80 | PONG, new byte[0])); // a control frame inside a message is allowed
            }
        }
        return out.toByteArray();
    }

    private byte[] brokenFrame(SplittableRandom random, byte[] piece) {
        return switch (random.nextInt(14)) {
            case 0 -> frame(random, 0x80 | BINARY, piece, false, 0); // not masked
            case 1 -> frame(random, 0x80 | (0x10 << random.nextInt(3)) | BINARY, piece); // an RSV bit
            case 2 -> frame(random, 0x80 | (3 + random.nextInt(5)), piece); // reserved data opcode
            case 3 -> frame(random, 0x80 | (0xB + random.nextInt(5)), piece); // reserved control opcode
            case 4 -> frame(random, 0x80 | PING, Mutations.randomBytes(random, 126 + random.nextInt(200)));
            case 5 -> frame(random, PING, Mutations.randomBytes(random, 4)); // fragmented control frame
            case 6 -> frame(random, 0x80 | CONTINUATION, piece); // continuation without a start
            case 7 -> Mutations.concat(frame(random, BINARY, piece), frame(random, 0x80 | BINARY, piece)); // new message inside one
            case 8 -> frame(random, 0x80 | TEXT, random.nextBoolean() ? "hello".getBytes(StandardCharsets.UTF_8)
                    : new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
            case 9 -> frame(random, 0x80 | BINARY, piece, true, 1 + random.nextInt(2)); // length not minimal
            case 10 -> closeFrame(random);
            case 11 -> frame(random, 0x80 | BINARY, Mutations.randomBytes(random, FuzzedNode.MAX_FRAME_BYTES + 1 + random.nextInt(64)));
            case 12 -> { // a message reassembled over the limit from frames under it
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int parts = 2 + random.nextInt(3);
                for (int i = 0; i < parts; i++) {
                    out.writeBytes(frame(random, (i == parts - 1 ? 0x80 : 0) | (i == 0 ? BINARY : CONTINUATION),
                            Mutations.randomBytes(random, FuzzedNode.MAX_FRAME_BYTES / 2 + 1)));
                }
                yield out.toByteArray();
            }
            default -> { // a 64-bit length with its top bit set
                byte[] frame = frame(random, 0x80 | BINARY, piece, true, 2);
                frame[2] |= (byte) 0x80;
                yield frame;
            }
        };
    }

    private byte[] closeFrame(SplittableRandom random) {
        int status = (int) (mutations.boundary(random) & 0xFFFF);
        byte[] reason = random.nextBoolean() ? "bye".getBytes(StandardCharsets.UTF_8) : new byte[] {(byte) 0xFF, (byte) 0xFE};
        byte[] payload = random.nextInt(6) == 0 ? new byte[] {1}
                : Mutations.concat(new byte[] {(byte) (status >> 8), (byte) status}, reason);
        return frame(random, 0x80 | CLOSE, payload);
    }

    static byte[] frame(SplittableRandom random, int first, byte[] payload) {
        return frame(random, first, payload, true, 0);
    }

    /**
     * A client frame. {@code lengthForm}: 0 the minimal length encoding, 1 always 16 bits, 2 always 64 bits.
     */
    static byte[] frame(SplittableRandom random, int first, byte[] payload, boolean masked, int lengthForm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(first);
        int mask = masked ? 0x80 : 0;
        if (lengthForm == 0 && payload.length < 126) {
            out.write(mask | payload.length);
        } else if (lengthForm != 2 && payload.length < 0x10000) {
            out.write(mask | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(mask | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        if (masked) {
            byte[] key = Mutations.randomBytes(random, 4);
            out.writeBytes(key);
            byte[] maskedPayload = payload.clone();
            for (int i = 0; i < maskedPayload.length; i++) {
                maskedPayload[i] ^= key[i & 3];
            }
            out.writeBytes(maskedPayload);
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static int indexOfBodyStart(byte[] bytes) {
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                return i + 1;
            }
        }
        return bytes.length;
    }
}

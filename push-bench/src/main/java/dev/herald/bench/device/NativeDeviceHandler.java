package dev.herald.bench.device;

import dev.herald.bench.clock.EpochMicros;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.Opcode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One simulated device on the native protocol: CONNECT on activation, CONNACK completes the login,
 * PUSH frames go to the {@link DeliverySink} and are acknowledged in one ACK per read burst (with the
 * broadcast cursor when it moved), PINGs are answered, and a PING is sent when the connection has been
 * quiet for the heartbeat the server announced. Reads the frames itself instead of decoding them into
 * {@link Frame} objects: a PUSH costs no allocation but its ACK slot. With a room in its login the device joins
 * it after CONNACK and counts as connected once the join is confirmed; ROOM_MESSAGEs go to the sink like pushes
 * (they need no ACK).
 */
final class NativeDeviceHandler extends SimulatedDevice {

    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final long DEFAULT_HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);

    private volatile long heartbeatNanos = DEFAULT_HEARTBEAT_NANOS;
    private int seq;
    /** Seq of the ROOM_JOIN awaiting its answer, 0 when none. */
    private int joinSeq;
    // ids of the current read burst as (high, low) pairs; allocated on the first PUSH only
    private long[] ackIds;
    private int ackCount;
    private long cursor;
    private boolean cursorMoved;

    NativeDeviceHandler(DeviceLogin login, DeliverySink sink, CompletableFuture<DeviceConnection> done,
                        long handshakeTimeoutNanos) {
        super(login, sink, done, handshakeTimeoutNanos);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startHandshakeDeadline(ctx);
        Frame.Connect connect = new Frame.Connect(++seq, KEEP_ALIVE_SECONDS, login.deviceId(), login.appId(), login.token(), 0);
        lastWriteNanos = System.nanoTime();
        ctx.writeAndFlush(FrameCodec.encode(ctx.alloc(), connect), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            read(ctx, frame);
        } catch (IndexOutOfBoundsException e) {
            endReason = "MALFORMED_FRAME";
            ctx.close();
        } finally {
            frame.release();
        }
    }

    private void read(ChannelHandlerContext ctx, ByteBuf frame) {
        int version = frame.readUnsignedByte();
        int opcode = frame.readUnsignedByte();
        int flags = frame.readUnsignedByte();
        int frameSeq = frame.readInt();
        if (version != Frame.VERSION) {
            endReason = "UNSUPPORTED_VERSION";
            ctx.close();
            return;
        }
        if (opcode == Opcode.PUSH.code()) {
            push(ctx, frame, flags);
        } else if (opcode == Opcode.ROOM_MESSAGE.code()) {
            roomMessage(frame, flags);
        } else if (opcode == Opcode.ROOM_ACK.code() || opcode == Opcode.ERROR.code()) {
            roomAnswer(ctx, opcode, frameSeq, frame);
        } else if (opcode == Opcode.CONNACK.code()) {
            connAck(ctx, frame);
        } else if (opcode == Opcode.PING.code()) {
            write(ctx, NativeFrames.pong(ctx.alloc(), frameSeq));
        } else if (opcode == Opcode.DISCONNECT.code()) {
            endReason = ErrorCode.of(frame.readUnsignedShort()).name();
            ctx.close();
        }
        // PONG and ERROR need no answer; a device ignores them.
    }

    private void push(ChannelHandlerContext ctx, ByteBuf frame, int flags) {
        long high = frame.readLong();
        long low = frame.readLong();
        frame.skipBytes(frame.readUnsignedShort());
        long broadcastSeq = frame.readLong();
        int length = frame.readInt();
        sink.delivered(frame.slice(frame.readerIndex(), length), (flags & Frame.Push.FLAG_REPLAY) != 0, EpochMicros.now());
        if (ackIds == null) {
            ackIds = new long[32];
        } else if (ackCount * 2 == ackIds.length) {
            if (ackCount == FrameCodec.MAX_IDS_PER_ACK) {
                flushAcks(ctx);
            } else {
                ackIds = Arrays.copyOf(ackIds, ackIds.length * 2);
            }
        }
        ackIds[2 * ackCount] = high;
        ackIds[2 * ackCount + 1] = low;
        ackCount++;
        if (broadcastSeq > cursor) {
            cursor = broadcastSeq;
            cursorMoved = true;
        }
    }

    private void roomMessage(ByteBuf frame, int flags) {
        frame.skipBytes(16);
        frame.skipBytes(frame.readUnsignedShort());
        frame.skipBytes(frame.readUnsignedShort());
        frame.skipBytes(8);
        frame.skipBytes(frame.readUnsignedShort());
        frame.skipBytes(8);
        int length = frame.readInt();
        sink.delivered(frame.slice(frame.readerIndex(), length), (flags & Frame.RoomMessage.FLAG_HISTORY) != 0,
                EpochMicros.now());
    }

    /** The answer to the ROOM_JOIN sent after CONNACK: the device is ready once it has joined. */
    private void roomAnswer(ChannelHandlerContext ctx, int opcode, int frameSeq, ByteBuf frame) {
        if (joinSeq == 0 || frameSeq != joinSeq) {
            return;
        }
        joinSeq = 0;
        cancelHandshakeDeadline();
        if (opcode == Opcode.ROOM_ACK.code()) {
            loginCompleted();
        } else {
            endReason = "ROOM_JOIN " + ErrorCode.of(frame.readUnsignedShort()).name();
            done.completeExceptionally(new DeviceRefusedException(endReason,
                    frame.readCharSequence(frame.readUnsignedShort(), StandardCharsets.UTF_8).toString()));
            ctx.close();
        }
    }

    private void connAck(ChannelHandlerContext ctx, ByteBuf frame) {
        ErrorCode code = ErrorCode.of(frame.readUnsignedShort());
        int heartbeatSeconds = frame.readUnsignedShort();
        String message = frame.readCharSequence(frame.readUnsignedShort(), StandardCharsets.UTF_8).toString();
        // With a room the handshake deadline also covers the join.
        if (code != ErrorCode.OK || login.room().isEmpty()) {
            cancelHandshakeDeadline();
        }
        if (code == ErrorCode.OK) {
            if (heartbeatSeconds > 0) {
                heartbeatNanos = TimeUnit.SECONDS.toNanos(Math.min(heartbeatSeconds, KEEP_ALIVE_SECONDS));
            }
            if (login.room().isEmpty()) {
                loginCompleted();
            } else {
                joinSeq = ++seq;
                write(ctx, FrameCodec.encode(ctx.alloc(), new Frame.RoomJoin(joinSeq, login.appId(), login.room(), 0)));
            }
        } else {
            endReason = code.name();
            done.completeExceptionally(new DeviceRefusedException(code.name(), message));
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushAcks(ctx)) {
            ctx.flush();
        }
    }

    /** Writes (without flushing) one ACK for the ids collected so far; returns whether it wrote one. */
    private boolean flushAcks(ChannelHandlerContext ctx) {
        if (ackCount == 0 && !cursorMoved) {
            return false;
        }
        ByteBuf ack = NativeFrames.ack(ctx.alloc(), ++seq, ackIds, ackCount, login.appId(), cursorMoved ? cursor : 0);
        ackCount = 0;
        cursorMoved = false;
        lastWriteNanos = System.nanoTime();
        ctx.write(ack, ctx.voidPromise());
        return true;
    }

    private void write(ChannelHandlerContext ctx, ByteBuf frame) {
        lastWriteNanos = System.nanoTime();
        ctx.writeAndFlush(frame, ctx.voidPromise());
    }

    @Override
    protected String awaitedAnswer() {
        return "CONNACK";
    }

    @Override
    protected long keepAliveNanos() {
        return heartbeatNanos;
    }

    @Override
    protected void ping(Channel ch) {
        ch.writeAndFlush(NativeFrames.ping(ch.alloc(), ++seq), ch.voidPromise());
    }

    @Override
    protected void goodbye(Channel ch) {
        Frame.Disconnect bye = new Frame.Disconnect(++seq, ErrorCode.CLIENT_DISCONNECT, "");
        ch.writeAndFlush(FrameCodec.encode(ch.alloc(), bye)).addListener(ChannelFutureListener.CLOSE);
    }
}

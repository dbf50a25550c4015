package dev.herald.access.write;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

/**
 * The shared write path of everything fanned out to local connections (broadcasts, multicasts, room
 * messages): writes are grouped by event loop, and each loop gets one task per batch that performs all its
 * channels' writes and then flushes each channel once, instead of one task and one flush per frame. The
 * frames themselves are encoded once by the caller and shared (each write takes a retained duplicate).
 * Filled and submitted by one thread; not reusable after {@link #submit}.
 */
public final class Outboxes {

    /** One pending write. Exactly one of {@link #write} or {@link #discard} is called, each releasing what it holds. */
    public interface Write {
        /** Called on the channel's event loop while it is active; returns whether something was written. */
        boolean write();

        /** Releases what the write holds without writing (channel gone, loop shut down). */
        void discard();
    }

    private final Map<EventLoop, Outbox> byLoop = new IdentityHashMap<>();
    private final IntConsumer written;

    /** @param written told, on each loop, how many writes wrote something */
    public Outboxes(IntConsumer written) {
        this.written = written;
    }

    /** Queues {@code write} for {@code channel}, or discards it at once when the channel is closed. */
    public boolean add(Channel channel, Write write) {
        if (!channel.isActive()) {
            write.discard();
            return false;
        }
        byLoop.computeIfAbsent(channel.eventLoop(), loop -> new Outbox(written)).add(channel, write);
        return true;
    }

    public boolean isEmpty() {
        return byLoop.isEmpty();
    }

    /** Hands each loop its task. */
    public void submit() {
        byLoop.forEach((loop, outbox) -> {
            try {
                loop.execute(outbox);
            } catch (RejectedExecutionException e) {
                // The node is shutting down and the loop is gone: so are its connections.
                outbox.discard();
            }
        });
        byLoop.clear();
    }

    private static final class Outbox implements Runnable {
        private final List<Channel> channels = new ArrayList<>();
        private final List<Write> writes = new ArrayList<>();
        private final IntConsumer written;

        Outbox(IntConsumer written) {
            this.written = written;
        }

        void add(Channel channel, Write write) {
            channels.add(channel);
            writes.add(write);
        }

        @Override
        public void run() {
            int count = 0;
            for (int i = 0; i < channels.size(); i++) {
                Write write = writes.get(i);
                if (!channels.get(i).isActive()) {
                    write.discard();
                } else if (write.write()) {
                    count++;
                }
            }
            PendingFlush pending = PendingFlush.of(channels.get(0).eventLoop());
            if (pending != null) {
                pending.add(channels);
            } else {
                channels.forEach(Channel::flush);
            }
            written.accept(count);
        }

        void discard() {
            writes.forEach(Write::discard);
        }
    }

    /**
     * The channels an event loop wrote to and has not flushed yet. Flushing is a task queued behind the
     * loop's other tasks: an idle loop flushes right after the batch's writes, a busy one (a burst queues
     * one outbox task per batch) first performs every queued batch's writes, then flushes each channel
     * once, so a connection gets its frames of several batches in one socket write. One per loop thread.
     */
    private static final class PendingFlush implements Runnable {

        private static final FastThreadLocal<PendingFlush> OF_LOOP = new FastThreadLocal<>() {
            @Override
            protected PendingFlush initialValue() {
                return new PendingFlush();
            }
        };

        private final List<Channel> channels = new ArrayList<>();
        private EventLoop scheduledOn;

        /** The pending flush of the calling loop thread, which must be {@code loop}'s; {@code null} once it shuts down. */
        static PendingFlush of(EventLoop loop) {
            PendingFlush flush = OF_LOOP.get();
            if (flush.scheduledOn == null) {
                flush.scheduledOn = loop;
                try {
                    loop.execute(flush);
                } catch (RejectedExecutionException e) {
                    // Shutting down: flush at once instead.
                    flush.scheduledOn = null;
                    return null;
                }
            }
            return flush;
        }

        void add(List<Channel> written) {
            channels.addAll(written);
        }

        @Override
        public void run() {
            scheduledOn = null;
            // A channel with several frames is flushed after the first; later flushes find nothing queued.
            for (Channel channel : channels) {
                channel.flush();
            }
            channels.clear();
        }
    }
}

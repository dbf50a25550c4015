package dev.herald.protocol.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Watches the log while a campaign runs: a warning or error logged on the fuzzing thread (a handler's
 * "error on connection, closing it", Netty's "exceptionCaught() reached the tail") or a leak report
 * from Netty's {@code ResourceLeakDetector} on any thread is a crash of the input that caused it. While
 * open, {@code dev.herald} and {@code io.netty} log at INFO: the debug line every refused connection
 * writes would otherwise dominate a run of a million inputs.
 */
public final class CrashLog implements AutoCloseable {

    private static final String LEAK_LOGGER = "io.netty.util.ResourceLeakDetector";
    private static final String[] QUIETED = {"dev.herald", "io.netty"};

    private final String thread = Thread.currentThread().getName();
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final Map<Logger, Level> levels = new HashMap<>();
    private final Logger root;
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            boolean leak = event.getLoggerName().startsWith(LEAK_LOGGER);
            if (event.getLevel().isGreaterOrEqual(Level.WARN) && (leak || thread.equals(event.getThreadName()))) {
                events.add(describe(event));
            }
        }
    };

    private CrashLog() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (String name : QUIETED) {
            Logger logger = context.getLogger(name);
            levels.put(logger, logger.getLevel());
            logger.setLevel(Level.INFO);
        }
        appender.setContext(context);
        appender.setName("herald-fuzz-crash-log");
        appender.start();
        root.addAppender(appender);
    }

    public static CrashLog open() {
        return new CrashLog();
    }

    /** The crashes logged since the last call. */
    public List<String> drain() {
        List<String> drained = new ArrayList<>();
        for (String event; (event = events.poll()) != null; ) {
            drained.add(event);
        }
        return drained;
    }

    /**
     * Makes the leak detector report what it has found: a leaked buffer is noticed once the collector
     * has enqueued its phantom reference, and reported when a later buffer is allocated. Each round
     * collects, waits until a sentinel of its own is enqueued (so this collection's references have
     * been processed), then allocates a few tracked buffers.
     */
    public void flushLeakReports() {
        ByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        for (int round = 0; round < 3; round++) {
            PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
            System.gc();
            try {
                queue.remove(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Reference.reachabilityFence(sentinel);
            for (int i = 0; i < 256; i++) {
                ByteBuf probe = allocator.directBuffer(8); // heap buffers of this allocator are not tracked
                probe.writeLong(i);
                probe.release();
            }
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        levels.forEach(Logger::setLevel);
    }

    private static String describe(ILoggingEvent event) {
        StringBuilder text = new StringBuilder()
                .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(": ")
                .append(event.getFormattedMessage());
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append("\n  caused by ").append(cause.getClassName()).append(": ").append(cause.getMessage());
            var frames = cause.getStackTraceElementProxyArray();
            for (int i = 0; i < Math.min(8, frames.length); i++) {
                text.append("\n    at ").append(frames[i].getStackTraceElement());
            }
        }
        return text.toString();
    }
}

package dev.herald.access.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Why the node closed a connection where the wire cannot say it (MQTT 3.1.1 has no server DISCONNECT)
 * or the client asked for it (its own DISCONNECT): the debug line the closing handler writes, with the
 * client address taken out. Listens to the handlers that close connections, at DEBUG.
 */
final class CloseReasons implements AutoCloseable {

    private static final String[] HANDLERS = {
            "dev.herald.access.mqtt.MqttConnectionHandler",
            "dev.herald.access.nativeprotocol.ConnectionHandler",
            "dev.herald.access.websocket.WebSocketFrames",
    };

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                root.callAppenders(event); // warnings still reach the console and the crash log
            } else if (lines.size() < 64) {
                lines.add(event.getFormattedMessage());
            }
        }
    };
    private final List<String> lines = new ArrayList<>();

    CloseReasons() {
        appender.setContext(context);
        appender.setName("herald-fuzz-close-reasons");
        appender.start();
        for (String name : HANDLERS) {
            Logger logger = context.getLogger(name);
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false); // their debug lines stay out of the console: a million inputs
            logger.addAppender(appender);
        }
    }

    @Override
    public void close() {
        for (String name : HANDLERS) {
            Logger logger = context.getLogger(name);
            logger.detachAppender(appender);
            logger.setAdditive(true);
            logger.setLevel(null);
        }
        appender.stop();
    }

    /** Forgets the lines logged so far, before a new connection. */
    void reset() {
        lines.clear();
    }

    /**
     * The first line since {@link #reset} that says why the connection ends, client address removed,
     * or {@code null}. The first: input read after a close is still decoded and may log more.
     */
    String first() {
        for (String line : lines) {
            if (line.startsWith("closing") || line.contains(" disconnects") || line.contains(" failed: ")
                    || line.contains(" not taken, closing")) {
                return line.replace("/203.0.113.7:40000", "").replace("  ", " ").trim();
            }
        }
        return null;
    }
}

package dev.herald.bench.compare;

import dev.herald.bench.device.DeviceTransport;
import dev.herald.bench.device.EventLoops;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One server the comparison measures: how its devices connect, how messages are sent to it, and what can
 * be read about its processes. Peers start their server in {@link #start()} and stop it in {@link #close()}.
 */
interface Target extends AutoCloseable {

    /** {@code Herald}, {@code mosquitto}, {@code NATS}: the table's column. */
    String name();

    /** Makes the target ready (starts a peer's server; checks that Herald answers). */
    void start() throws Exception;

    DeviceTransport.Factory devices();

    /** Where devices connect; device {@code i} goes to {@code servers[i % size]}. */
    List<InetSocketAddress> deviceServers();

    /** The app id and secret device logins carry (only Herald checks them). */
    String app();

    String secret();

    MessageSender openSender(EventLoops loops) throws Exception;

    /** Resident memory of the server process(es) devices connect to, bytes; {@code null} when unknown. */
    Long rssBytes();

    /** Redis commands executed so far (INFO commandstats, INFO itself left out); {@code null} when not measured. */
    Long redisCommands();

    /** One line on what was measured: ports, pids, settings. */
    String describe();

    @Override
    void close();
}

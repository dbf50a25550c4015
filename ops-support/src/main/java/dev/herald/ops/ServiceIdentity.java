package dev.herald.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * Who this process is, as every meter (common tags {@code service}, {@code node}, {@code cell}) and the
 * cluster listing name it.
 *
 * @param service {@code spring.application.name}
 * @param node    {@code herald.ops.node}, else the host name (made to fit {@code [A-Za-z0-9._-]{1,64}})
 * @param cell    {@code herald.ops.cell}
 * @param host    {@code herald.ops.advertised-host}, else the host name
 */
public record ServiceIdentity(String service, String node, String cell, String host) {

    static ServiceIdentity of(OpsProperties properties, Environment environment) {
        String service = environment.getProperty("spring.application.name", "herald");
        String hostName = hostName();
        String node = properties.node().isEmpty() ? asId(hostName) : properties.node();
        String host = properties.advertisedHost().isEmpty() ? hostName : properties.advertisedHost();
        return new ServiceIdentity(asId(service), node, properties.cell(), host);
    }

    /** {@code HOSTNAME} (set in containers and most shells), else the resolver's name, else localhost. */
    static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Replaces what an id may not hold with {@code -} and keeps at most 64 characters. */
    static String asId(String text) {
        String id = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        if (id.isEmpty()) {
            return "unknown";
        }
        return id.length() > 64 ? id.substring(0, 64) : id;
    }
}

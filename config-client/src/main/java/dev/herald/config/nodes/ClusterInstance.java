package dev.herald.config.nodes;

import dev.herald.core.app.Ids;
import java.time.Instant;

/**
 * One running instance of a Herald service as it announces itself in ZooKeeper, so that an operator (the
 * ops console, a script) can list the cluster: the ephemeral znode
 * {@code <root>/instances/<service>/<node>} holds this record as JSON
 * <pre>{"service": "push-api", "node": "api-1", "cell": "default", "host": "10.0.0.5", "port": 8080,
 *  "managementPort": 9080, "startedAt": "2026-11-25T10:00:00.123Z"}</pre>
 *
 * @param service        the service ({@code spring.application.name}): push-api, dispatcher-service, ...
 * @param node           the instance's id, unique within its service
 * @param cell           the cell the instance serves
 * @param host           host name or address where its ports are reachable from inside the cluster
 * @param port           its main HTTP port (public API, internal API), 0 when it has none
 * @param managementPort its management (actuator) port: health, metrics, pools, profiles
 * @param startedAt      when the instance started
 */
public record ClusterInstance(String service, String node, String cell, String host, int port, int managementPort,
                              Instant startedAt) {

    public ClusterInstance {
        requireId("service", service);
        requireId("node", node);
        requireId("cell", cell);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("instance " + service + "/" + node + " needs a host");
        }
        if (port < 0 || port > 65535 || managementPort < 0 || managementPort > 65535) {
            throw new IllegalArgumentException("instance " + service + "/" + node + " has an invalid port: " + port + "/"
                    + managementPort);
        }
        if (startedAt == null) {
            throw new IllegalArgumentException("instance " + service + "/" + node + " needs startedAt");
        }
    }

    /** Parent of every service's instances: {@code <root>/instances}. */
    public static String instancesPath(String root) {
        return root + "/instances";
    }

    /** The znode of this instance below {@code root}. */
    public String path(String root) {
        return instancesPath(root) + "/" + service + "/" + node;
    }

    private static void requireId(String what, String value) {
        if (!Ids.isAppId(value)) {
            throw new IllegalArgumentException("instance " + what + " must match " + Ids.APP_ID_PATTERN + ": " + value);
        }
    }
}

package dev.herald.config.nodes;

import dev.herald.core.app.Ids;

/**
 * An access node as registered in discovery: Curator service {@code access.<cell>}, instance id = node
 * id, address and port = where the node's native listener is reachable from inside the cluster.
 *
 * @param nodeId   unique node id (also its {@code h:deliveries:{node}} stream)
 * @param cell     the cell the node belongs to
 * @param address  internal host name or address of the node
 * @param port     native protocol TCP port
 * @param httpPort its main HTTP port; 0 when the node runs without one (the actuator is on the management
 *                 port, listed in the cluster listing: {@link ClusterInstance#managementPort()})
 */
public record AccessNode(String nodeId, String cell, String address, int port, int httpPort) {

    /** Service names are {@code access.<cell>}. */
    public static final String SERVICE_PREFIX = "access.";

    public AccessNode {
        if (!Ids.isAppId(nodeId)) {
            throw new IllegalArgumentException("node id must match " + Ids.APP_ID_PATTERN + ": " + nodeId);
        }
        if (!Ids.isAppId(cell)) {
            throw new IllegalArgumentException("cell must match " + Ids.APP_ID_PATTERN + ": " + cell);
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("access node " + nodeId + " needs an address");
        }
        if (port < 1 || port > 65535 || httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("access node " + nodeId + " has an invalid port: " + port + "/" + httpPort);
        }
    }

    public static String serviceName(String cell) {
        return SERVICE_PREFIX + cell;
    }

    public String serviceName() {
        return serviceName(cell);
    }
}

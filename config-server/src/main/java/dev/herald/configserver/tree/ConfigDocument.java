package dev.herald.configserver.tree;

import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * The data of one config znode: the envelope {@code {"state", "updatedAt", "updatedBy", "value"}} shared with
 * every service (see {@link DocumentCodec} for the bytes). The node's version is not part of it: that is
 * ZooKeeper's {@code Stat.version}.
 */
public record ConfigDocument(NodeState state, Instant updatedAt, String updatedBy, ObjectNode value) {

    public ConfigDocument {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
        Objects.requireNonNull(value, "value");
    }
}

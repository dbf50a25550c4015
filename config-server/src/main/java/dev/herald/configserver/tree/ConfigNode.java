package dev.herald.configserver.tree;

/** A config node as stored: its path, ZooKeeper version and document. */
public record ConfigNode(ConfigPath path, int version, ConfigDocument document) {
}

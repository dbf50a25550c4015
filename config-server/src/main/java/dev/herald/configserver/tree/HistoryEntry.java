package dev.herald.configserver.tree;

/** A previous document of a config node, as it was at {@code version}. */
public record HistoryEntry(int version, ConfigDocument document) {
}

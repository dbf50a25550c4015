package dev.herald.configserver.tree;

import java.util.Locale;
import java.util.Optional;

/** Whether services apply a config node: an {@code offline} app, for instance, does not exist for them. */
public enum NodeState {
    ONLINE, OFFLINE;

    /** The form in documents and in the API: {@code online} or {@code offline}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NodeState> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (NodeState state : values()) {
            if (state.text().equals(text)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}

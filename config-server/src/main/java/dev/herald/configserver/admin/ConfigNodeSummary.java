package dev.herald.configserver.admin;

import dev.herald.configserver.tree.ConfigNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.temporal.ChronoUnit;

/** A config node without its value, as listed. */
@Schema(name = "ConfigNodeSummary", description = "A config node in the listing (without its value).")
public record ConfigNodeSummary(
        @Schema(description = "Path below `<root>/config`", example = "apps/demo")
        String path,
        @Schema(description = "ZooKeeper version", example = "3")
        int version,
        @Schema(allowableValues = {"online", "offline"}, example = "online")
        String state,
        @Schema(description = "When the document was written (ISO-8601, UTC)", example = "2026-11-25T10:00:00Z")
        String updatedAt,
        @Schema(description = "Who wrote it", example = "alice")
        String updatedBy) {

    static ConfigNodeSummary of(ConfigNode node) {
        return new ConfigNodeSummary(node.path().value(), node.version(), node.document().state().text(),
                node.document().updatedAt().truncatedTo(ChronoUnit.MILLIS).toString(), node.document().updatedBy());
    }
}
